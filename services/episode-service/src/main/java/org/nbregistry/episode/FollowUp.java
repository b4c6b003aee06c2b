package org.nbregistry.episode;

import org.nbregistry.support.vocabulary.ClinicalCodes;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A dated contact: the patient was alive on that day, or died on it (and of what, if known). */
@Entity
@Table(name = "follow_up")
public class FollowUp extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Column(name = "follow_up_date", nullable = false)
    public LocalDate date;

    @Convert(converter = CodedEnumConverters.VitalStatusConverter.class)
    @Column(name = "vital_status", nullable = false)
    public VitalStatus vitalStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "cause_of_death")
    public ClinicalCodes.CauseOfDeath causeOfDeath;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<FollowUp> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<FollowUp>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by date, id", site, pseudonym);
    }
}
