package org.nbregistry.treatment;

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

/** An episode as episode-service last published it: enough to check a treatment line's reference and dates. */
@Entity
@Table(name = "known_episode")
public class KnownEpisode extends PanacheEntityBase {

    @Id
    @Column(name = "episode_id")
    public UUID episodeId;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Column(name = "episode_date", nullable = false)
    public LocalDate episodeDate;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<KnownEpisode> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<KnownEpisode>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by episodeDate", site, pseudonym);
    }
}
