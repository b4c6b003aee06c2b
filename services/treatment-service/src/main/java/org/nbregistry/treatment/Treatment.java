package org.nbregistry.treatment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A treatment given for one episode, identified for its site by the site's record id. */
@Entity
@Table(name = "treatment")
public class Treatment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Column(name = "episode_record_id", nullable = false)
    public String episodeRecordId;

    @Convert(converter = CategoryConverter.class)
    @Column(nullable = false)
    public TreatmentCategory category;

    @Column(name = "start_date", nullable = false)
    public LocalDate startDate;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<Treatment> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<Treatment>> ofPatient(String pseudonym) {
        return list("patientPseudonym = ?1 order by startDate, id", pseudonym);
    }

    @Converter
    static class CategoryConverter implements AttributeConverter<TreatmentCategory, String> {
        @Override
        public String convertToDatabaseColumn(TreatmentCategory value) {
            return value == null ? null : value.code();
        }

        @Override
        public TreatmentCategory convertToEntityAttribute(String code) {
            return code == null ? null : TreatmentCategory.valueOf(code.toUpperCase());
        }
    }
}
