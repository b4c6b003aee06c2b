package org.nbregistry.episode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** A subsequent malignancy of the patient: one of the events that end event-free survival. */
@Entity
@Table(name = "second_malignancy")
public class SecondMalignancy extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Column(name = "diagnosis_date", nullable = false)
    public LocalDate diagnosisDate;

    @Column
    public String diagnosis;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<SecondMalignancy> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<SecondMalignancy>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by diagnosisDate, id", site, pseudonym);
    }
}
