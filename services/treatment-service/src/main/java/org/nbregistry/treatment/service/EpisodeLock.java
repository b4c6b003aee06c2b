package org.nbregistry.treatment.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.SortedSet;

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
                        .setParameter("key", key(site, episodeRecordId))
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** Several episodes in one statement, in the keys' order, so two transactions never wait for each other in a circle. */
    static Uni<Void> lockAll(SortedSet<String> keys) {
        return Panache.getSession().flatMap(session -> session
                        .createNativeQuery("""
                                select cast(count(pg_advisory_xact_lock(hashtext(k))) as text)
                                from (select k from unnest(cast(:keys as text[])) as k order by k) as sorted""")
                        .setParameter("keys", keys.toArray(String[]::new))
                        .getSingleResult())
                .replaceWithVoid();
    }

    static String key(String site, String episodeRecordId) {
        return "episode:" + site + "/" + episodeRecordId;
    }
}
