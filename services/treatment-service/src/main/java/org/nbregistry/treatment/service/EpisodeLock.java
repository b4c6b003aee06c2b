package org.nbregistry.treatment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Serialises, per episode, a line looking for its episode (and parking when it is not there) with the episode
 * arriving (and settling the parked lines). Without it, under READ COMMITTED each transaction can miss the other's
 * uncommitted row and a line stays parked until the wait runs out. Held until the transaction ends.
 */
final class EpisodeLock {

    private EpisodeLock() {
    }

    static Uni<Void> lock(String site, String episodeRecordId) {
        return Panache.getSession().flatMap(session -> session
                        .createNativeQuery("select cast(pg_advisory_xact_lock(hashtext(:key)) as text)")
                        .setParameter("key", "episode:" + site + "/" + episodeRecordId)
                        .getSingleResult())
                .replaceWithVoid();
    }
}
