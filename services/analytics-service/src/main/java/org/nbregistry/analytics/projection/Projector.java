package org.nbregistry.analytics.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.nbregistry.analytics.projection.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.projection.PatientHistory.TreatmentFacts;
import org.nbregistry.analytics.statistics.SurvivalState;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;

import java.time.LocalDate;

/**
 * Applies domain events to the patient's history: read, check the event id was not applied yet, change, and
 * write back with a version check (re-read on conflict). The in-memory statistics follow every stored version.
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    private final ProjectionStore store;
    private final SurvivalState state;

    public Projector(ProjectionStore store, SurvivalState state) {
        this.store = store;
        this.state = state;
    }

    /** A restart serves what was projected before at once; Kafka then resumes from the committed offsets. */
    void loadOnStart(@Observes StartupEvent started) {
        var histories = store.all().await().indefinitely();
        histories.forEach(state::replacePatient);
        LOG.infof("analysis dataset loaded: %d patients", histories.size());
    }

    public Uni<Void> apply(EventEnvelope event) {
        return store.find(event.subject()).flatMap(history -> {
            if (history.hasApplied(event.id().toString())) {
                state.replacePatient(history);
                return Uni.createFrom().voidItem();
            }
            PatientHistory next = change(history, event).nextVersion();
            return store.replace(history, next).flatMap(stored -> {
                if (!stored) {
                    return apply(event);
                }
                state.replacePatient(next);
                return Uni.createFrom().voidItem();
            });
        });
    }

    private static PatientHistory change(PatientHistory history, EventEnvelope event) {
        JsonNode d = event.data();
        String id = event.id().toString();
        return switch (event.type()) {
            case "EpisodeRecorded" -> history.withEpisode(id, new EpisodeFacts(d.path("episodeId").asText(), d.path("site").asText(),
                    d.path("recordId").asText(), d.path("episodeType").asText(), date(d, "episodeDate"), d.path("episodeOrder").asInt()));
            case "FollowUpRecorded" -> history.withFollowUp(id, date(d, "lastFollowUpDate"), date(d, "deathDate"));
            case "TreatmentRecorded" -> history.withTreatment(id, new TreatmentFacts(d.path("treatmentId").asText(), d.path("site").asText(),
                    d.path("recordId").asText(), d.path("episodeRecordId").asText(), d.path("category").asText(), date(d, "startDate")));
            default -> throw new MalformedEventException("analytics does not know event type " + event.type());
        };
    }

    private static LocalDate date(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isTextual() ? LocalDate.parse(value.asText()) : null;
    }
}
