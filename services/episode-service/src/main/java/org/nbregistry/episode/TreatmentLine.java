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

/**
 * A treatment line as treatment-service published it (registry.treatment-events): owned there, kept here only for
 * the rules between a patient's disease course and its treatment.
 */
@Entity
@Table(name = "treatment_line")
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

    @Column(name = "start_date", nullable = false)
    public LocalDate startDate;

    @Column(name = "end_date")
    public LocalDate endDate;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean treats(Episode episode) {
        return site.equals(episode.site) && episodeRecordId.equals(episode.recordId);
    }

    public static Uni<List<TreatmentLine>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by startDate, id", site, pseudonym);
    }
}
