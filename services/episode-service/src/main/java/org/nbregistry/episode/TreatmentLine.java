package org.nbregistry.episode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A line of treatment given for one episode, identified for its site by the site's record id. Its components
 * ({@link TreatmentComponent}) are stored and replaced with it.
 */
@Entity
@Table(name = "treatment")
public class TreatmentLine extends PanacheEntityBase {

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

    @Column(name = "line_number", nullable = false)
    public int lineNumber;

    @Enumerated(EnumType.STRING)
    @Column
    public TreatmentCodes.TreatmentIntent intent;

    @Column(name = "start_date", nullable = false)
    public LocalDate startDate;

    @Column(name = "end_date")
    public LocalDate endDate;

    @Column(name = "regimen_label")
    public String regimenLabel;

    @Column(name = "trial_enrolled")
    public Boolean trialEnrolled;

    @Column(name = "trial_registry_id")
    public String trialRegistryId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<TreatmentLine> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<TreatmentLine>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by startDate, id", site, pseudonym);
    }

    public boolean treats(Episode episode) {
        return site.equals(episode.site) && episodeRecordId.equals(episode.recordId);
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
