package org.nbregistry.treatment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A submitted line waiting for its episode to reach this service; the envelope is kept as it arrived. */
@Entity
@Table(name = "parked_treatment")
public class ParkedTreatment extends PanacheEntityBase {

    @Id
    @Column(name = "message_id")
    public UUID messageId;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "episode_record_id", nullable = false)
    public String episodeRecordId;

    @Column(nullable = false, columnDefinition = "text")
    public String envelope;

    @Column(name = "parked_at", nullable = false)
    public Instant parkedAt;

    public static Uni<List<ParkedTreatment>> ofRecord(String site, String recordId) {
        return list("site = ?1 and recordId = ?2 order by parkedAt, messageId", site, recordId);
    }

    public static Uni<List<ParkedTreatment>> parkedBefore(Instant cutoff, int limit) {
        return find("parkedAt < ?1 order by parkedAt, messageId", cutoff).page(0, limit).list();
    }
}
