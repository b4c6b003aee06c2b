package org.nbregistry.episode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** One refractory, relapse or progression event of a patient; identified for its site by the site's record id. */
@Entity
@Table(name = "episode")
public class Episode extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Convert(converter = CodedEnumConverters.EpisodeTypeConverter.class)
    @Column(name = "episode_type", nullable = false)
    public EpisodeType episodeType;

    @Column(name = "episode_date", nullable = false)
    public LocalDate episodeDate;

    /** 1 = first R/R-P event of the patient; derived from the dates, never submitted. */
    @Column(name = "episode_order", nullable = false)
    public int episodeOrder;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<Episode> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<Episode>> ofPatient(String pseudonym) {
        return list("patientPseudonym = ?1 order by episodeDate, id", pseudonym);
    }
}
