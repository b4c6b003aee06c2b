package org.nbregistry.analytics.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.nbregistry.analytics.dataset.PatientHistory;
import org.nbregistry.analytics.dataset.PatientHistory.AssessmentFacts;
import org.nbregistry.analytics.dataset.PatientHistory.EpisodeFacts;
import org.nbregistry.analytics.dataset.PatientHistory.PatientFacts;
import org.nbregistry.analytics.dataset.PatientHistory.SecondMalignancyFacts;
import org.nbregistry.analytics.dataset.PatientHistory.TreatmentFacts;
import org.nbregistry.analytics.statistics.Freshness;
import org.nbregistry.analytics.statistics.LiveStatistics;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.nbregistry.support.events.EventFields.date;
import static org.nbregistry.support.events.EventFields.optionalDate;
import static org.nbregistry.support.events.EventFields.text;

/**
 * Applies domain events to the patients' histories, a batch at a time: read, check each event id was not applied yet,
 * change, and write back with a version check (re-read on conflict). The live statistics follow every stored version.
 *
 * <p>Events are read tolerantly: fields this service does not read itself are kept as attributes of the patient,
 * episode or treatment (factors are mapped from them in {@code Factors}), and event types it does not know are
 * skipped, not dead-lettered, so that a newer producer never stops analytics.
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);
    /** Histories taken into the statistics at a time while loading at start-up. */
    static final int LOAD_CHUNK = 10_000;
    private static final Set<String> PATIENT_FIELDS = Set.of("patientId", "site", "recordId", "patientPseudonym");
    private static final Set<String> EPISODE_FIELDS = Set.of("episodeId", "site", "recordId", "patientPseudonym", "episodeType",
            "episodeDate", "episodeOrder");
    private static final Set<String> TREATMENT_FIELDS = Set.of("treatmentId", "site", "recordId", "patientPseudonym",
            "episodeRecordId", "category", "startDate");
    /**
     * The event types analytics applies (api-specs/asyncapi.yaml, registry.episode-events and
     * registry.treatment-events); others are skipped.
     */
    public static final Set<String> KNOWN_TYPES = Set.of("PatientRecorded", "EpisodeRecorded", "ResponseAssessmentRecorded",
            "FollowUpRecorded", "SecondMalignancyRecorded", "TreatmentRecorded", "PatientWithdrawn", "EpisodeWithdrawn",
            "ResponseAssessmentWithdrawn", "FollowUpWithdrawn", "SecondMalignancyWithdrawn", "TreatmentWithdrawn");

    private final ProjectionStore store;
    private final LiveStatistics statistics;
    private final Freshness freshness;

    public Projector(ProjectionStore store, LiveStatistics statistics, Freshness freshness) {
        this.store = store;
        this.statistics = statistics;
        this.freshness = freshness;
    }

    /**
     * A restart serves what was projected before at once, at the dataset version it had (the sum of the stored
     * histories' versions, see {@link LiveStatistics#replacePatient}); Kafka then resumes from the committed offsets,
     * and events applied but not committed before a crash come again and are skipped by their ids. Events consumed
     * while this runs are safe too: the statistics keep the newest version of each history.
     *
     * <p>The histories are taken {@link #LOAD_CHUNK} at a time as they are read and refreshed once at the end: at 10^6
     * episodes the whole projection read into one list beside the statistics did not fit a 2 GB heap.
     */
    void loadOnStart(@Observes StartupEvent started) {
        long patients = store.all().group().intoLists().of(LOAD_CHUNK)
                .onItem().invoke(statistics::load)
                .collect().with(Collectors.summingLong(List::size))
                .await().indefinitely();
        statistics.refreshNow();
        LOG.infof("analysis dataset loaded: %d patients at dataset version %d", patients, statistics.datasetVersion());
    }

    /** An event of a batch that can never be applied (its data does not say what it must): it belongs in the DLQ. */
    public record Rejected(int index, RuntimeException reason) {
    }

    /**
     * Applies a poll's events: grouped by patient in their order (a patient's events share a partition, so this is
     * their order in Kafka), the touched histories read in one query, each event applied unless its id was (a
     * redelivery), the changed histories written in one bulk write with the version check, then put into the live
     * statistics together, so that the batch costs one refresh. When a write lost against another writer (the other
     * topic's consumer, or another replica), every history of the batch is read again and the events re-applied:
     * those that did land are found applied and skipped.
     *
     * <p>Events of types analytics does not know are skipped; an event whose change fails is rejected (returned, for
     * the dead-letter topic) and the patient's later events still apply, as they would after it was dead-lettered
     * alone.
     *
     * @param moreWaiting whether more events wait behind these (the poll was full), so that the statistics pace their
     *                    refreshes for a backlog ({@link LiveStatistics#replacePatients(java.util.Collection, boolean)})
     * @return the events rejected, by their index in {@code events}
     */
    public Uni<List<Rejected>> apply(List<EventEnvelope> events, boolean moreWaiting) {
        Map<String, List<Integer>> byPatient = new LinkedHashMap<>();
        List<Rejected> unkeyed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope event = events.get(i);
            if (!KNOWN_TYPES.contains(event.type())) {
                LOG.debugf("skipping event type %s (%s): analytics has no use for it", event.type(), event.id());
            } else if (!event.data().path("site").isTextual()) {
                unkeyed.add(new Rejected(i, new MalformedEventException(event.type() + " " + event.id() + " names no site")));
            } else {
                byPatient.computeIfAbsent(patientKey(event), p -> new ArrayList<>()).add(i);
            }
        }
        if (byPatient.isEmpty()) {
            return Uni.createFrom().item(unkeyed);
        }
        return attempt(events, byPatient, null, moreWaiting).map(rejected -> unkeyed.isEmpty() ? rejected
                : Stream.concat(unkeyed.stream(), rejected.stream()).toList());
    }

    /**
     * A pseudonym names a patient within the site that submits it (README, cross-site privacy): one history per site
     * and pseudonym, so two sites' records under one pseudonym are two patients, as episode-service keeps them.
     */
    static String patientKey(EventEnvelope event) {
        return event.data().path("site").asText() + "/" + event.subject();
    }

    /** @param unseen ids of the events not applied when the batch was first read (null on the first attempt) */
    private Uni<List<Rejected>> attempt(List<EventEnvelope> events, Map<String, List<Integer>> byPatient, Set<String> unseen,
                                        boolean moreWaiting) {
        return store.find(byPatient.keySet()).flatMap(read -> {
            Applied applied = applyAll(events, byPatient, read);
            Set<String> firstUnseen = unseen != null ? unseen : applied.newlyApplied();
            return store.replaceAll(applied.writes()).flatMap(stored -> {
                if (!stored) {
                    return attempt(events, byPatient, firstUnseen, moreWaiting);
                }
                long version = statistics.replacePatients(applied.histories(), moreWaiting);
                // Measured on first application only: a redelivery (in an earlier batch or this one) was measured when
                // it was applied.
                Set<String> measured = new HashSet<>();
                for (List<Integer> indices : byPatient.values()) {
                    for (int i : indices) {
                        EventEnvelope event = events.get(i);
                        String id = event.id().toString();
                        if (firstUnseen.contains(id) && !applied.rejected().containsKey(i) && event.occurredAt() != null && measured.add(id)) {
                            freshness.applied(event.type(), event.acceptedAtOrOccurredAt(), version);
                        }
                    }
                }
                return Uni.createFrom().item(applied.rejected().entrySet().stream()
                        .map(e -> new Rejected(e.getKey(), e.getValue())).toList());
            });
        });
    }

    /**
     * @param histories    every touched patient's history after the batch (written or unchanged)
     * @param writes       the changed ones, against the version they were read at
     * @param newlyApplied ids of the events applied now (not before)
     */
    private record Applied(List<PatientHistory> histories, List<ProjectionStore.Replacement> writes, Set<String> newlyApplied,
                           Map<Integer, RuntimeException> rejected) {
    }

    private static Applied applyAll(List<EventEnvelope> events, Map<String, List<Integer>> byPatient, Map<String, PatientHistory> read) {
        List<PatientHistory> histories = new ArrayList<>(byPatient.size());
        List<ProjectionStore.Replacement> writes = new ArrayList<>();
        Set<String> newlyApplied = new HashSet<>();
        Map<Integer, RuntimeException> rejected = new TreeMap<>();
        byPatient.forEach((patient, indices) -> {
            PatientHistory before = read.get(patient);
            PatientHistory history = before;
            for (int i : indices) {
                EventEnvelope event = events.get(i);
                String id = event.id().toString();
                if (history.hasApplied(id)) {
                    continue;
                }
                try {
                    history = change(history, event).nextVersion();
                    newlyApplied.add(id);
                } catch (RuntimeException e) {
                    rejected.put(i, e);
                }
            }
            histories.add(history);
            if (history.version() != before.version()) {
                writes.add(new ProjectionStore.Replacement(before, history));
            }
        });
        return new Applied(histories, writes, newlyApplied, rejected);
    }

    /**
     * The history after the event. Recorded events carry the record's whole current state, so they add or replace
     * (a correction keeps the record's id); withdrawals retract by id, and the analysis records are derived again from
     * what remains.
     */
    static PatientHistory change(PatientHistory history, EventEnvelope event) {
        JsonNode d = event.data();
        String id = event.id().toString();
        return switch (event.type()) {
            case "PatientRecorded" -> history.withPatient(id, new PatientFacts(text(d, "patientId"), text(d, "site"), text(d, "recordId"),
                    attributes(d, PATIENT_FIELDS)));
            case "EpisodeRecorded" -> history.withEpisode(id, new EpisodeFacts(text(d, "episodeId"), text(d, "site"),
                    text(d, "recordId"), text(d, "episodeType"), date(d, "episodeDate"),
                    d.path("episodeOrder").asInt(), attributes(d, EPISODE_FIELDS)));
            case "ResponseAssessmentRecorded" -> history.withAssessment(id, new AssessmentFacts(text(d, "assessmentId"),
                    text(d, "episodeId"), date(d, "assessmentDate"), text(d, "overallResponse")));
            case "FollowUpRecorded", "FollowUpWithdrawn" -> history.withFollowUp(id, optionalDate(d, "lastFollowUpDate"), optionalDate(d, "deathDate"));
            case "SecondMalignancyRecorded" -> history.withSecondMalignancy(id, new SecondMalignancyFacts(text(d, "secondMalignancyId"),
                    date(d, "diagnosisDate")));
            case "TreatmentRecorded" -> history.withTreatment(id, new TreatmentFacts(text(d, "treatmentId"), text(d, "site"),
                    text(d, "recordId"), text(d, "episodeRecordId"), text(d, "category"), optionalDate(d, "startDate"),
                    attributes(d, TREATMENT_FIELDS)));
            // Only the patient record this is: a patient recorded again since (another record id) stays.
            case "PatientWithdrawn" -> history.patient() != null && history.patient().patientId().equals(text(d, "id"))
                    ? history.withoutPatient(id) : history.withApplied(id);
            case "EpisodeWithdrawn" -> history.withoutEpisode(id, text(d, "id"));
            case "ResponseAssessmentWithdrawn" -> history.withoutAssessment(id, text(d, "id"));
            case "SecondMalignancyWithdrawn" -> history.withoutSecondMalignancy(id, text(d, "id"));
            case "TreatmentWithdrawn" -> history.withoutTreatment(id, text(d, "id"));
            default -> throw new IllegalStateException("unreachable: " + event.type());
        };
    }

    /** Fields beyond the known ones, flattened as {@link EpisodeFacts#attributes()} describes. */
    static Map<String, String> attributes(JsonNode data, Set<String> known) {
        Map<String, String> attributes = new HashMap<>();
        data.fields().forEachRemaining(field -> {
            if (!known.contains(field.getKey())) {
                flatten(field.getKey(), field.getValue(), attributes);
            }
        });
        return attributes;
    }

    private static void flatten(String name, JsonNode value, Map<String, String> into) {
        if (value.isNull() || value.isMissingNode()) {
            return;
        }
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> flatten(name + Character.toUpperCase(f.getKey().charAt(0)) + f.getKey().substring(1),
                    f.getValue(), into));
        } else if (value.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            value.elements().forEachRemaining(items::add);
            // Codes never contain commas (enumerations and code patterns of the schemas).
            into.put(name, items.stream().allMatch(JsonNode::isValueNode)
                    ? items.stream().map(JsonNode::asText).collect(Collectors.joining(",")) : value.toString());
        } else {
            into.put(name, value.asText());
        }
    }
}
