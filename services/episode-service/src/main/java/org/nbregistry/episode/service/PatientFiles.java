package org.nbregistry.episode.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.SecondMalignancy;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.outbox.PostgresUuidOrder;
import org.nbregistry.support.events.EventEnvelope;

import static org.nbregistry.support.events.EventFields.optionalText;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The patient files and records a poll of submitted records needs, read in six set-based statements inside the poll's
 * transaction before its first record is applied (instead of about eight statements per record), and kept current
 * while the poll's records are applied one after another: a created record joins its file, a withdrawn one leaves
 * it, and every change is made on these very entities, which the session keeps. So each record sees exactly what a
 * fresh read would show, in the order the database would give. A record named by an id the poll did not mention (none
 * today) is read from the database, which sees the poll's changes so far, since Hibernate flushes before a query.
 */
final class PatientFiles {

    private record Owner(String site, String pseudonym) {
    }

    private record Ref(String site, String recordId) {
    }

    /** Everything one site holds on one patient, as it stands now in this transaction. */
    private static final class Holder {
        Patient patient;
        final List<Episode> episodes = new ArrayList<>();
        final List<ResponseAssessment> assessments = new ArrayList<>();
        final List<FollowUp> followUps = new ArrayList<>();
        final List<SecondMalignancy> secondMalignancies = new ArrayList<>();
        final List<TreatmentLine> treatmentLines = new ArrayList<>();

        /** In the order PatientFile.load reads them: by date, then id as PostgreSQL orders a uuid. */
        PatientFile view() {
            return new PatientFile(patient, sorted(episodes, e -> e.episodeDate, e -> e.id),
                    sorted(assessments, a -> a.assessmentDate, a -> a.id), sorted(followUps, f -> f.date, f -> f.id),
                    sorted(secondMalignancies, s -> s.diagnosisDate, s -> s.id), sorted(treatmentLines, l -> l.startDate, l -> l.id));
        }
    }

    /** One kind of record by its natural key: what was read or created, and which keys the poll asked about. */
    private static final class Records<E> {
        final Map<Ref, E> byKey = new HashMap<>();
        final Set<Ref> asked = new HashSet<>();
    }

    private final Map<Owner, Holder> files = new HashMap<>();
    private final Records<Patient> patients = new Records<>();
    private final Records<Episode> episodes = new Records<>();
    private final Records<ResponseAssessment> assessments = new Records<>();
    private final Records<FollowUp> followUps = new Records<>();
    private final Records<SecondMalignancy> secondMalignancies = new Records<>();
    private final Records<TreatmentLine> treatmentLines = new Records<>();

    private PatientFiles() {
    }

    /** Reads the files of every patient the envelopes name, and every record they name by id. */
    static Uni<PatientFiles> read(List<EventEnvelope> envelopes) {
        PatientFiles read = new PatientFiles();
        Set<String> sites = new HashSet<>();
        Set<String> pseudonyms = new HashSet<>();
        Map<String, Set<String>> idsByType = new HashMap<>();
        for (EventEnvelope envelope : envelopes) {
            JsonNode data = envelope.data();
            String site = optionalText(data, "site");
            String pseudonym = optionalText(data, "patientPseudonym");
            if (site == null || pseudonym == null) {
                continue;
            }
            sites.add(site);
            pseudonyms.add(pseudonym);
            read.files.computeIfAbsent(new Owner(site, pseudonym), owner -> new Holder());
            String type = switch (envelope.type()) {
                case "PatientSubmitted" -> "patient";
                case "EpisodeSubmitted" -> "episode";
                case "ResponseAssessmentSubmitted" -> "response-assessment";
                case "FollowUpSubmitted" -> "follow-up";
                case "SecondMalignancySubmitted" -> "second-malignancy";
                case "TreatmentSubmitted" -> "treatment";
                case "WithdrawalSubmitted" -> optionalText(data, "recordType");
                default -> null;
            };
            String recordId = optionalText(data, "recordId");
            if (type != null && recordId != null) {
                idsByType.computeIfAbsent(type, t -> new HashSet<>()).add(recordId);
                read.records(type).asked.add(new Ref(site, recordId));
            }
            String episodeRecordId = optionalText(data, "episodeRecordId");
            if (episodeRecordId != null) {
                idsByType.computeIfAbsent("episode", t -> new HashSet<>()).add(episodeRecordId);
                read.episodes.asked.add(new Ref(site, episodeRecordId));
            }
        }
        if (sites.isEmpty()) {
            return Uni.createFrom().item(read);
        }
        List<String> siteList = List.copyOf(sites);
        List<String> pseudonymList = List.copyOf(pseudonyms);
        // One statement per table, one after another (a reactive session runs one at a time): the files of the poll's
        // patients and the records it names by id (a superset, sorted out in memory).
        return Patient.<Patient>list(FILE_OR_IDS, siteList, pseudonymList, ids(idsByType, "patient"))
                .invoke(found -> found.forEach(read::add))
                .chain(() -> Episode.<Episode>list(FILE_OR_IDS, siteList, pseudonymList, ids(idsByType, "episode")))
                .invoke(found -> found.forEach(read::add))
                .chain(() -> ResponseAssessment.<ResponseAssessment>list(FILE_OR_IDS, siteList, pseudonymList, ids(idsByType, "response-assessment")))
                .invoke(found -> found.forEach(read::add))
                .chain(() -> FollowUp.<FollowUp>list(FILE_OR_IDS, siteList, pseudonymList, ids(idsByType, "follow-up")))
                .invoke(found -> found.forEach(read::add))
                .chain(() -> SecondMalignancy.<SecondMalignancy>list(FILE_OR_IDS, siteList, pseudonymList, ids(idsByType, "second-malignancy")))
                .invoke(found -> found.forEach(read::add))
                .chain(() -> TreatmentLine.<TreatmentLine>list(FILE_OR_IDS, siteList, pseudonymList, ids(idsByType, "treatment")))
                .invoke(found -> found.forEach(read::add))
                .replaceWith(read);
    }

    private Records<?> records(String type) {
        return switch (type) {
            case "patient" -> patients;
            case "episode" -> episodes;
            case "response-assessment" -> assessments;
            case "follow-up" -> followUps;
            case "second-malignancy" -> secondMalignancies;
            case "treatment" -> treatmentLines;
            default -> new Records<>();
        };
    }

    private static final String FILE_OR_IDS = "site in ?1 and (patientPseudonym in ?2 or recordId in ?3)";

    /** Never empty: an empty IN list is not valid SQL everywhere, and no record id is blank. */
    private static List<String> ids(Map<String, Set<String>> idsByType, String type) {
        Set<String> ids = idsByType.get(type);
        return ids == null || ids.isEmpty() ? List.of("") : List.copyOf(ids);
    }


    // ------------------------------------------------------------------------------------------------ lookups

    /** The patient's file as it stands in this transaction. */
    Uni<PatientFile> file(String site, String pseudonym) {
        Holder holder = files.get(new Owner(site, pseudonym));
        if (holder != null) {
            return Uni.createFrom().item(holder.view());
        }
        return PatientFile.load(site, pseudonym).invoke(file -> {
            Holder loaded = new Holder();
            files.put(new Owner(site, pseudonym), loaded);
            loaded.patient = file.patient();
            loaded.episodes.addAll(file.episodes());
            loaded.assessments.addAll(file.assessments());
            loaded.followUps.addAll(file.followUps());
            loaded.secondMalignancies.addAll(file.secondMalignancies());
            loaded.treatmentLines.addAll(file.treatmentLines());
        });
    }

    Uni<Patient> patient(String site, String recordId) {
        return find(patients, site, recordId, Patient::findByNaturalKey);
    }

    Uni<Episode> episode(String site, String recordId) {
        return find(episodes, site, recordId, Episode::findByNaturalKey);
    }

    Uni<ResponseAssessment> assessment(String site, String recordId) {
        return find(assessments, site, recordId, ResponseAssessment::findByNaturalKey);
    }

    Uni<FollowUp> followUp(String site, String recordId) {
        return find(followUps, site, recordId, FollowUp::findByNaturalKey);
    }

    Uni<SecondMalignancy> secondMalignancy(String site, String recordId) {
        return find(secondMalignancies, site, recordId, SecondMalignancy::findByNaturalKey);
    }

    Uni<TreatmentLine> treatmentLine(String site, String recordId) {
        return find(treatmentLines, site, recordId, TreatmentLine::findByNaturalKey);
    }

    private static <E> Uni<E> find(Records<E> records, String site, String recordId, NaturalKeyQuery<E> query) {
        Ref ref = new Ref(site, recordId);
        E known = records.byKey.get(ref);
        if (known != null || records.asked.contains(ref)) {
            return Uni.createFrom().item(known);
        }
        return query.find(site, recordId);
    }

    @FunctionalInterface
    private interface NaturalKeyQuery<E> {
        Uni<E> find(String site, String recordId);
    }

    // ------------------------------------------------------------------------------------------------ changes

    /** Persists a new record and lets it join its file; a record that exists already is changed in place. */
    Uni<Void> persistIf(boolean created, PanacheEntityBase entity) {
        if (!created) {
            return Uni.createFrom().voidItem();
        }
        add(entity);
        return entity.persist().replaceWithVoid();
    }

    /**
     * Deletes a withdrawn record and writes the deletion at once: a record re-created under the same id later in the
     * poll must not be inserted before this deletion, which is the order in which Hibernate would write both.
     */
    Uni<Void> delete(PanacheEntityBase entity) {
        remove(entity);
        return entity.delete().chain(() -> Panache.getSession()).chain(session -> session.flush());
    }

    private void add(Object entity) {
        change(entity, true);
    }

    private void remove(Object entity) {
        change(entity, false);
    }

    private void change(Object entity, boolean present) {
        if (entity instanceof Patient p) {
            Holder holder = holder(p.site, p.patientPseudonym);
            if (holder != null) {
                holder.patient = present ? p : holder.patient == p ? null : holder.patient;
            }
            keep(patients, p.site, p.recordId, p, present);
        } else if (entity instanceof Episode e) {
            list(holder(e.site, e.patientPseudonym), h -> h.episodes, e, present);
            keep(episodes, e.site, e.recordId, e, present);
        } else if (entity instanceof ResponseAssessment a) {
            list(holder(a.site, a.patientPseudonym), h -> h.assessments, a, present);
            keep(assessments, a.site, a.recordId, a, present);
        } else if (entity instanceof FollowUp f) {
            list(holder(f.site, f.patientPseudonym), h -> h.followUps, f, present);
            keep(followUps, f.site, f.recordId, f, present);
        } else if (entity instanceof SecondMalignancy s) {
            list(holder(s.site, s.patientPseudonym), h -> h.secondMalignancies, s, present);
            keep(secondMalignancies, s.site, s.recordId, s, present);
        } else if (entity instanceof TreatmentLine l) {
            list(holder(l.site, l.patientPseudonym), h -> h.treatmentLines, l, present);
            keep(treatmentLines, l.site, l.recordId, l, present);
        } else {
            throw new IllegalArgumentException("no patient file holds " + entity.getClass().getSimpleName());
        }
    }

    private Holder holder(String site, String pseudonym) {
        return files.get(new Owner(site, pseudonym));
    }

    private static <E> void list(Holder holder, Function<Holder, List<E>> list, E entity, boolean present) {
        if (holder == null) {
            return;
        }
        List<E> records = list.apply(holder);
        records.remove(entity);
        if (present) {
            records.add(entity);
        }
    }

    private static <E> void keep(Records<E> records, String site, String recordId, E entity, boolean present) {
        Ref ref = new Ref(site, recordId);
        records.asked.add(ref);
        if (present) {
            records.byKey.put(ref, entity);
        } else {
            records.byKey.remove(ref, entity);
        }
    }

    // ------------------------------------------------------------------------------------------------ order

    private static <E> List<E> sorted(List<E> records, Function<E, LocalDate> date, Function<E, UUID> id) {
        List<E> copy = new ArrayList<>(records);
        copy.sort(Comparator.comparing(date, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(id, PostgresUuidOrder::compare));
        return List.copyOf(copy);
    }

}
