package org.nbregistry.episode.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.nbregistry.support.vocabulary.ClinicalCodes.SegmentalAberration;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.SecondMalignancy;
import org.nbregistry.episode.TreatmentComponent;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.messaging.Payloads.EpisodeSubmitted;
import org.nbregistry.episode.messaging.Payloads.FollowUpRecorded;
import org.nbregistry.episode.messaging.Payloads.FollowUpSubmitted;
import org.nbregistry.episode.messaging.Payloads.PatientSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.RecordStatus;
import org.nbregistry.episode.messaging.Payloads.ResponseAssessmentSubmitted;
import org.nbregistry.episode.messaging.Payloads.RecordWithdrawn;
import org.nbregistry.episode.messaging.Payloads.SecondMalignancySubmitted;
import org.nbregistry.episode.messaging.Payloads.SubmittedComponent;
import org.nbregistry.episode.messaging.Payloads.TreatmentSubmitted;
import org.nbregistry.episode.messaging.Payloads.WithdrawalSubmitted;
import org.nbregistry.episode.messaging.Topics;
import org.nbregistry.episode.response.InrcResponse;
import org.nbregistry.outbox.Outbox;
import org.nbregistry.outbox.PollEffect;
import org.nbregistry.support.events.EventCodec;
import org.nbregistry.support.events.EventEnvelope;
import org.nbregistry.support.events.MalformedEventException;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies submitted patients, episodes, response assessments, follow-ups, second malignancies and treatment lines
 * after the rules that need other records (date order, death, references), or rejects them with reasons and changes
 * nothing. Each applied record publishes its whole current state, and so does every episode whose derived values
 * (order, time from diagnosis, best response) it changed. Every method runs inside the caller's transaction.
 */
@ApplicationScoped
public class ClinicalRecordService implements PollEffect {

    private final Outbox outbox;
    private final Clock clock;
    private final boolean patientRecordRequired;

    public ClinicalRecordService(Outbox outbox,
                                @ConfigProperty(name = "registry.episode.patient-record-required", defaultValue = "false")
                                boolean patientRecordRequired) {
        this.outbox = outbox;
        this.clock = Clock.systemUTC();
        this.patientRecordRequired = patientRecordRequired;
    }

    /** A poll's records: the patient files they need read together, then each record applied in order ({@link PollEffect}). */
    @Override
    public Uni<Function<EventEnvelope, Uni<Void>>> prepare(List<EventEnvelope> envelopes) {
        return PatientFiles.read(envelopes).map(files -> envelope -> apply(envelope, files));
    }

    private Uni<Void> apply(EventEnvelope envelope, PatientFiles files) {
        return switch (envelope.type()) {
            case "PatientSubmitted" -> applyPatient(envelope, EventCodec.payload(envelope, PatientSubmitted.class), files);
            case "EpisodeSubmitted" -> applyEpisode(envelope, EventCodec.payload(envelope, EpisodeSubmitted.class), files);
            case "ResponseAssessmentSubmitted" -> applyAssessment(envelope, EventCodec.payload(envelope, ResponseAssessmentSubmitted.class), files);
            case "FollowUpSubmitted" -> applyFollowUp(envelope, EventCodec.payload(envelope, FollowUpSubmitted.class), files);
            case "SecondMalignancySubmitted" -> applySecondMalignancy(envelope, EventCodec.payload(envelope, SecondMalignancySubmitted.class), files);
            case "TreatmentSubmitted" -> applyTreatment(envelope, treatmentSubmitted(envelope), files);
            case "WithdrawalSubmitted" -> withdraw(envelope, EventCodec.payload(envelope, WithdrawalSubmitted.class), files);
            default -> throw new MalformedEventException(Topics.CLINICAL_RECORDS + " carries no type " + envelope.type());
        };
    }

    // ------------------------------------------------------------------------------------------------ patient

    private Uni<Void> applyPatient(EventEnvelope envelope, PatientSubmitted submitted, PatientFiles files) {
        return files.patient(submitted.site(), submitted.recordId())
                .flatMap(existing -> files.file(submitted.site(), submitted.patientPseudonym()).flatMap(file -> {
                    List<Reason> reasons = PatientRules.check(submitted, existing, file, today());
                    if (!reasons.isEmpty()) {
                        return status(envelope, submitted.site(), "patient", submitted.recordId(), reasons);
                    }
                    Patient patient = existing != null ? existing : new Patient();
                    boolean created = existing == null;
                    if (created) {
                        patient.id = UUID.randomUUID();
                        patient.site = submitted.site();
                        patient.recordId = submitted.recordId();
                        patient.patientPseudonym = submitted.patientPseudonym();
                    }
                    boolean diagnosisMoved = created || !patient.initialDiagnosisDate.equals(submitted.initialDiagnosisDate());
                    patient.sex = submitted.sex();
                    patient.birthYearMonth = submitted.birthYearMonth();
                    patient.ageAtInitialDiagnosisDays = submitted.ageAtInitialDiagnosisDays();
                    patient.initialDiagnosisDate = submitted.initialDiagnosisDate();
                    patient.inrgssStage = submitted.inrgssStage();
                    patient.inssStage = submitted.inssStage();
                    patient.mycnStatusAtDiagnosis = submitted.mycnStatusAtDiagnosis();
                    var frontline = submitted.frontline();
                    patient.frontlineProtocol = frontline == null ? null : frontline.protocol();
                    patient.frontlineHdcAsct = frontline == null ? null : frontline.hdcAsct();
                    patient.frontlineAntiGd2 = frontline == null ? null : frontline.antiGd2();
                    patient.frontlineRadiotherapy = frontline == null ? null : frontline.radiotherapy();
                    patient.updatedAt = Instant.now(clock);
                    PatientFile updated = file.withPatient(patient);
                    Uni<Void> chain = files.persistIf(created, patient)
                            .chain(() -> publish(envelope, "PatientRecorded", States.of(patient)));
                    // Every episode's time from initial diagnosis follows the diagnosis date.
                    if (diagnosisMoved) {
                        for (Episode e : file.episodes()) {
                            chain = chain.chain(() -> publishEpisode(envelope, e, updated));
                        }
                    }
                    return chain.chain(() -> status(envelope, submitted.site(), "patient", submitted.recordId(), List.of()));
                }));
    }

    // ------------------------------------------------------------------------------------------------ episode

    private Uni<Void> applyEpisode(EventEnvelope envelope, EpisodeSubmitted submitted, PatientFiles files) {
        return files.episode(submitted.site(), submitted.recordId())
                .flatMap(existing -> files.file(submitted.site(), submitted.patientPseudonym()).flatMap(file -> {
                    List<Reason> reasons = EpisodeRules.check(submitted, existing, file, today(), patientRecordRequired);
                    if (!reasons.isEmpty()) {
                        return status(envelope, submitted.site(), "episode", submitted.recordId(), reasons);
                    }
                    return storeEpisode(envelope, submitted, existing, file, files);
                }));
    }

    private Uni<Void> storeEpisode(EventEnvelope envelope, EpisodeSubmitted submitted, Episode existing, PatientFile file,
                                   PatientFiles files) {
        Episode episode = existing != null ? existing : new Episode();
        boolean created = existing == null;
        if (created) {
            episode.id = UUID.randomUUID();
            episode.site = submitted.site();
            episode.recordId = submitted.recordId();
            episode.patientPseudonym = submitted.patientPseudonym();
        }
        copy(submitted, episode);
        episode.updatedAt = Instant.now(clock);

        List<Episode> all = new ArrayList<>(file.episodes());
        if (created) {
            all.add(episode);
        }
        // The order is derived from the dates, so one new or moved episode can renumber the others.
        all.sort(Comparator.comparing((Episode e) -> e.episodeDate).thenComparing(e -> e.id));
        List<Episode> changed = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Episode e = all.get(i);
            if (e.episodeOrder != i + 1 || e == episode) {
                e.episodeOrder = i + 1;
                changed.add(e);
            }
        }
        PatientFile updated = file.withEpisodes(all);
        Uni<Void> chain = files.persistIf(created, episode);
        for (Episode e : changed) {
            chain = chain.chain(() -> publishEpisode(envelope, e, updated));
        }
        return chain.chain(() -> status(envelope, submitted.site(), "episode", submitted.recordId(), List.of()));
    }

    private static void copy(EpisodeSubmitted s, Episode e) {
        e.episodeType = s.episodeType();
        e.episodeDate = s.episodeDate();
        e.diseaseExtent = s.diseaseExtent();
        e.metastaticSites = States.stored(s.metastaticSites(), Enum::name);
        e.otherMetastaticSite = s.otherMetastaticSite();
        e.lymphNodeInvolvement = s.lymphNodeInvolvement();
        e.mibgAvidity = s.mibg() == null ? null : s.mibg().avidity();
        e.curieScore = s.mibg() == null ? null : s.mibg().curieScore();
        e.siopenScore = s.mibg() == null ? null : s.mibg().siopenScore();
        e.biopsyPerformed = s.biopsy() == null ? null : s.biopsy().performed();
        e.biopsyDate = s.biopsy() == null ? null : s.biopsy().date();
        e.profilingPerformed = s.molecularProfiling() == null ? null : s.molecularProfiling().performed();
        e.profilingMethods = States.stored(s.molecularProfiling() == null ? null : s.molecularProfiling().methods(), Enum::name);
        e.mycnStatus = s.mycnStatus();
        e.alkStatus = s.alk() == null ? null : s.alk().status();
        e.alkHgvsProtein = s.alk() == null ? null : s.alk().hgvsProtein();
        e.alkVariantAlleleFraction = s.alk() == null ? null : s.alk().variantAlleleFraction();
        e.segmentalAberrations = States.stored(s.segmentalAberrations(), SegmentalAberration::code);
        e.trialEnrolled = s.clinicalTrial() == null ? null : s.clinicalTrial().enrolled();
        e.trialRegistryId = s.clinicalTrial() == null ? null : s.clinicalTrial().registryId();
    }

    // ------------------------------------------------------------------------------------------------ response assessment

    private Uni<Void> applyAssessment(EventEnvelope envelope, ResponseAssessmentSubmitted submitted, PatientFiles files) {
        return files.assessment(submitted.site(), submitted.recordId())
                .flatMap(existing -> files.episode(submitted.site(), submitted.episodeRecordId())
                        .flatMap(episode -> files.file(submitted.site(), submitted.patientPseudonym()).flatMap(file -> {
                            List<Reason> reasons = ResponseAssessmentRules.check(submitted, existing, episode, file, today());
                            if (!reasons.isEmpty()) {
                                return status(envelope, submitted.site(), "response-assessment", submitted.recordId(), reasons);
                            }
                            return storeAssessment(envelope, submitted, existing, episode, file, files);
                        })));
    }

    private Uni<Void> storeAssessment(EventEnvelope envelope, ResponseAssessmentSubmitted submitted, ResponseAssessment existing,
                                      Episode episode, PatientFile file, PatientFiles files) {
        ResponseAssessment assessment = existing != null ? existing : new ResponseAssessment();
        boolean created = existing == null;
        UUID previousEpisode = created ? null : assessment.episodeId;
        if (created) {
            assessment.id = UUID.randomUUID();
            assessment.site = submitted.site();
            assessment.recordId = submitted.recordId();
            assessment.patientPseudonym = submitted.patientPseudonym();
        }
        assessment.episodeId = episode.id;
        assessment.assessmentDate = submitted.assessmentDate();
        assessment.timepointLabel = submitted.timepointLabel();
        assessment.methods = States.stored(submitted.methods(), Enum::name);
        assessment.primaryResponse = submitted.primaryResponse();
        assessment.metastaticResponse = submitted.metastaticResponse();
        assessment.boneMarrowResponse = submitted.boneMarrowResponse();
        assessment.curieScore = submitted.curieScore();
        assessment.siopenScore = submitted.siopenScore();
        assessment.boneMarrowInfiltrationPercent = submitted.boneMarrowInfiltrationPercent();
        InrcResponse.Derived derived = InrcResponse.derive(submitted.primaryResponse(), submitted.metastaticResponse(),
                submitted.boneMarrowResponse());
        assessment.overallResponse = derived.overall();
        assessment.needsCentralReview = derived.needsCentralReview();
        assessment.centralReviewReason = derived.centralReviewReason();
        assessment.updatedAt = Instant.now(clock);

        List<ResponseAssessment> all = new ArrayList<>(file.assessments());
        if (created) {
            all.add(assessment);
        }
        PatientFile updated = file.withAssessments(all);
        // The best response of the assessed episode (and of the one a correction moved it from) may have changed.
        Set<UUID> affected = new LinkedHashSet<>(List.of(episode.id));
        if (previousEpisode != null) {
            affected.add(previousEpisode);
        }
        Uni<Void> chain = files.persistIf(created, assessment)
                .chain(() -> publish(envelope, "ResponseAssessmentRecorded", States.of(assessment, episode)));
        for (Episode e : file.episodes()) {
            if (affected.contains(e.id)) {
                chain = chain.chain(() -> publishEpisode(envelope, e, updated));
            }
        }
        return chain.chain(() -> status(envelope, submitted.site(), "response-assessment", submitted.recordId(), List.of()));
    }

    // ------------------------------------------------------------------------------------------------ follow-up

    private Uni<Void> applyFollowUp(EventEnvelope envelope, FollowUpSubmitted submitted, PatientFiles files) {
        return files.followUp(submitted.site(), submitted.recordId())
                .flatMap(existing -> files.file(submitted.site(), submitted.patientPseudonym()).flatMap(file -> {
                    List<Reason> reasons = FollowUpRules.check(submitted, existing, file, today());
                    if (!reasons.isEmpty()) {
                        return status(envelope, submitted.site(), "follow-up", submitted.recordId(), reasons);
                    }
                    return storeFollowUp(envelope, submitted, existing, file.followUps(), files);
                }));
    }

    private Uni<Void> storeFollowUp(EventEnvelope envelope, FollowUpSubmitted submitted, FollowUp existing, List<FollowUp> followUps,
                                    PatientFiles files) {
        FollowUp followUp = existing != null ? existing : new FollowUp();
        boolean created = existing == null;
        if (created) {
            followUp.id = UUID.randomUUID();
            followUp.site = submitted.site();
            followUp.recordId = submitted.recordId();
            followUp.patientPseudonym = submitted.patientPseudonym();
        }
        followUp.date = submitted.date();
        followUp.vitalStatus = submitted.vitalStatus();
        followUp.causeOfDeath = submitted.causeOfDeath();
        followUp.updatedAt = Instant.now(clock);
        List<FollowUp> all = new ArrayList<>(followUps);
        if (created) {
            all.add(followUp);
        }
        LocalDate last = all.stream().map(f -> f.date).max(Comparator.naturalOrder()).orElseThrow();
        FollowUpRecorded recorded = new FollowUpRecorded(followUp.id, followUp.site, followUp.recordId, followUp.patientPseudonym,
                followUp.date, followUp.vitalStatus, last, PatientFile.deathDate(all).orElse(null), followUp.causeOfDeath);
        return files.persistIf(created, followUp)
                .chain(() -> publish(envelope, "FollowUpRecorded", recorded))
                .chain(() -> status(envelope, submitted.site(), "follow-up", submitted.recordId(), List.of()));
    }

    // ------------------------------------------------------------------------------------------------ second malignancy

    private Uni<Void> applySecondMalignancy(EventEnvelope envelope, SecondMalignancySubmitted submitted, PatientFiles files) {
        return files.secondMalignancy(submitted.site(), submitted.recordId())
                .flatMap(existing -> files.file(submitted.site(), submitted.patientPseudonym()).flatMap(file -> {
                    List<Reason> reasons = SecondMalignancyRules.check(submitted, existing, file, today());
                    if (!reasons.isEmpty()) {
                        return status(envelope, submitted.site(), "second-malignancy", submitted.recordId(), reasons);
                    }
                    SecondMalignancy smn = existing != null ? existing : new SecondMalignancy();
                    boolean created = existing == null;
                    if (created) {
                        smn.id = UUID.randomUUID();
                        smn.site = submitted.site();
                        smn.recordId = submitted.recordId();
                        smn.patientPseudonym = submitted.patientPseudonym();
                    }
                    smn.diagnosisDate = submitted.diagnosisDate();
                    smn.diagnosis = submitted.diagnosis();
                    smn.updatedAt = Instant.now(clock);
                    return files.persistIf(created, smn)
                            .chain(() -> publish(envelope, "SecondMalignancyRecorded", States.of(smn)))
                            .chain(() -> status(envelope, submitted.site(), "second-malignancy", submitted.recordId(), List.of()));
                }));
    }

    // ------------------------------------------------------------------------------------------------ treatment line

    private static TreatmentSubmitted treatmentSubmitted(EventEnvelope envelope) {
        TreatmentSubmitted submitted = EventCodec.payload(envelope, TreatmentSubmitted.class);
        if (submitted.lineNumber() == null || submitted.startDate() == null || submitted.components() == null
                || submitted.components().isEmpty()) {
            throw new MalformedEventException("TreatmentSubmitted " + envelope.id() + " lacks its line number, start date or components");
        }
        return submitted;
    }

    /** A line is checked against its episode, the patient's other episodes and death, and the episode's other lines. */
    private Uni<Void> applyTreatment(EventEnvelope envelope, TreatmentSubmitted submitted, PatientFiles files) {
        return files.treatmentLine(submitted.site(), submitted.recordId())
                .flatMap(existing -> files.episode(submitted.site(), submitted.episodeRecordId())
                        .flatMap(episode -> files.file(submitted.site(), submitted.patientPseudonym()).flatMap(file -> {
                            List<TreatmentLine> linesOfEpisode = file.treatmentLines().stream()
                                    .filter(line -> line.episodeRecordId.equals(submitted.episodeRecordId())).toList();
                            TreatmentRules.Context context = new TreatmentRules.Context(episode, file.episodes(), file.deathDate(),
                                    linesOfEpisode);
                            List<Reason> reasons = TreatmentRules.check(submitted, existing, context, today());
                            if (!reasons.isEmpty()) {
                                return status(envelope, submitted.site(), "treatment", submitted.recordId(), reasons);
                            }
                            return storeTreatment(envelope, submitted, existing, files);
                        })));
    }

    private Uni<Void> storeTreatment(EventEnvelope envelope, TreatmentSubmitted submitted, TreatmentLine existing, PatientFiles files) {
        TreatmentLine line = existing != null ? existing : new TreatmentLine();
        boolean created = existing == null;
        if (created) {
            line.id = UUID.randomUUID();
            line.site = submitted.site();
            line.recordId = submitted.recordId();
            line.patientPseudonym = submitted.patientPseudonym();
        }
        line.episodeRecordId = submitted.episodeRecordId();
        line.lineNumber = submitted.lineNumber();
        line.intent = submitted.intent();
        line.startDate = submitted.startDate();
        line.endDate = submitted.endDate();
        line.regimenLabel = submitted.regimenLabel();
        line.trialEnrolled = submitted.clinicalTrial() == null ? null : submitted.clinicalTrial().enrolled();
        line.trialRegistryId = submitted.clinicalTrial() == null ? null : submitted.clinicalTrial().registryId();
        line.updatedAt = Instant.now(clock);
        List<TreatmentComponent> components = new ArrayList<>();
        for (int i = 0; i < submitted.components().size(); i++) {
            components.add(component(line.id, i, submitted.components().get(i)));
        }
        // A correction replaces the components: the submitted line is the whole truth.
        Uni<Void> chain = created ? files.persistIf(true, line) : TreatmentComponent.deleteOfTreatment(line.id).replaceWithVoid();
        for (TreatmentComponent c : components) {
            chain = chain.chain(() -> c.persist().replaceWithVoid());
        }
        return chain
                .chain(() -> publish(envelope, Topics.TREATMENT_EVENTS, "TreatmentRecorded", TreatmentStates.of(line, components)))
                .chain(() -> status(envelope, submitted.site(), "treatment", submitted.recordId(), List.of()));
    }

    private static TreatmentComponent component(UUID lineId, int position, SubmittedComponent s) {
        TreatmentComponent c = new TreatmentComponent();
        c.id = UUID.randomUUID();
        c.treatmentId = lineId;
        c.position = position;
        c.category = s.category();
        c.agents = s.agents() == null ? new String[0] : s.agents().stream().distinct().toArray(String[]::new);
        c.startDate = s.startDate();
        c.endDate = s.endDate();
        c.cycles = s.cycles();
        c.completed = s.completed();
        c.notCompletedReason = s.notCompletedReason();
        c.surgeryExtent = s.surgeryExtent();
        if (s.radiotherapy() != null) {
            c.radiotherapyDoseGy = s.radiotherapy().totalDoseGy();
            c.radiotherapyFractions = s.radiotherapy().fractions();
            c.radiotherapyModality = s.radiotherapy().modality();
            c.radiotherapyTarget = s.radiotherapy().target();
        }
        c.stemCellRescue = s.stemCellRescue();
        return c;
    }

    // ------------------------------------------------------------------------------------------------ withdrawal

    /**
     * Removes a withdrawn record and publishes &lt;Type&gt;Withdrawn, plus the new state of every record whose derived
     * values the removal changed; or rejects the withdrawal with reasons and changes nothing.
     */
    private Uni<Void> withdraw(EventEnvelope envelope, WithdrawalSubmitted w, PatientFiles files) {
        return switch (w.recordType()) {
            case "patient" -> files.patient(w.site(), w.recordId()).flatMap(patient -> {
                List<Reason> reasons = WithdrawalRules.check(w, patient == null ? null : patient.patientPseudonym);
                if (!reasons.isEmpty()) {
                    return status(envelope, w.site(), w.recordType(), w.recordId(), reasons);
                }
                return files.file(w.site(), w.patientPseudonym()).flatMap(file -> {
                    PatientFile without = file.withPatient(null);
                    Uni<Void> chain = files.delete(patient).chain(() -> withdrawn(envelope, w, "PatientWithdrawn", patient.id));
                    // The episodes lose their time from initial diagnosis.
                    for (Episode e : file.episodes()) {
                        chain = chain.chain(() -> publishEpisode(envelope, e, without));
                    }
                    return chain.chain(() -> status(envelope, w.site(), w.recordType(), w.recordId(), List.of()));
                });
            });
            case "episode" -> files.episode(w.site(), w.recordId()).flatMap(episode -> files.file(w.site(), w.patientPseudonym())
                    .flatMap(file -> {
                        List<Reason> reasons = WithdrawalRules.checkEpisode(w, episode, file);
                        if (!reasons.isEmpty()) {
                            return status(envelope, w.site(), w.recordType(), w.recordId(), reasons);
                        }
                        List<Episode> remaining = new ArrayList<>(file.episodes().stream().filter(e -> !e.id.equals(episode.id)).toList());
                        remaining.sort(Comparator.comparing((Episode e) -> e.episodeDate).thenComparing(e -> e.id));
                        PatientFile without = file.withEpisodes(remaining);
                        Uni<Void> chain = files.delete(episode).chain(() -> withdrawn(envelope, w, "EpisodeWithdrawn", episode.id));
                        // The later episodes move up one place.
                        for (int i = 0; i < remaining.size(); i++) {
                            Episode e = remaining.get(i);
                            if (e.episodeOrder != i + 1) {
                                e.episodeOrder = i + 1;
                                e.updatedAt = Instant.now(clock);
                                chain = chain.chain(() -> publishEpisode(envelope, e, without));
                            }
                        }
                        return chain.chain(() -> status(envelope, w.site(), w.recordType(), w.recordId(), List.of()));
                    }));
            case "response-assessment" -> files.assessment(w.site(), w.recordId()).flatMap(assessment -> {
                List<Reason> reasons = WithdrawalRules.check(w, assessment == null ? null : assessment.patientPseudonym);
                if (!reasons.isEmpty()) {
                    return status(envelope, w.site(), w.recordType(), w.recordId(), reasons);
                }
                return files.file(w.site(), w.patientPseudonym()).flatMap(file -> {
                    PatientFile without = file.withAssessments(file.assessments().stream().filter(a -> !a.id.equals(assessment.id)).toList());
                    Uni<Void> chain = files.delete(assessment).chain(() -> withdrawn(envelope, w, "ResponseAssessmentWithdrawn", assessment.id));
                    // The episode's best response may change.
                    for (Episode e : file.episodes()) {
                        if (e.id.equals(assessment.episodeId)) {
                            chain = chain.chain(() -> publishEpisode(envelope, e, without));
                        }
                    }
                    return chain.chain(() -> status(envelope, w.site(), w.recordType(), w.recordId(), List.of()));
                });
            });
            case "follow-up" -> files.followUp(w.site(), w.recordId()).flatMap(followUp -> {
                List<Reason> reasons = WithdrawalRules.check(w, followUp == null ? null : followUp.patientPseudonym);
                if (!reasons.isEmpty()) {
                    return status(envelope, w.site(), w.recordType(), w.recordId(), reasons);
                }
                return files.file(w.site(), w.patientPseudonym()).flatMap(file -> {
                    List<FollowUp> remaining = file.followUps().stream().filter(f -> !f.id.equals(followUp.id)).toList();
                    RecordWithdrawn event = new RecordWithdrawn(w.recordType(), followUp.id, w.site(), w.recordId(), w.patientPseudonym(),
                            remaining.stream().map(f -> f.date).max(Comparator.naturalOrder()).orElse(null),
                            PatientFile.deathDate(remaining).orElse(null));
                    return files.delete(followUp)
                            .chain(() -> publish(envelope, "FollowUpWithdrawn", event))
                            .chain(() -> status(envelope, w.site(), w.recordType(), w.recordId(), List.of()));
                });
            });
            case "second-malignancy" -> files.secondMalignancy(w.site(), w.recordId()).flatMap(smn -> {
                List<Reason> reasons = WithdrawalRules.check(w, smn == null ? null : smn.patientPseudonym);
                if (!reasons.isEmpty()) {
                    return status(envelope, w.site(), w.recordType(), w.recordId(), reasons);
                }
                return files.delete(smn)
                        .chain(() -> withdrawn(envelope, w, "SecondMalignancyWithdrawn", smn.id))
                        .chain(() -> status(envelope, w.site(), w.recordType(), w.recordId(), List.of()));
            });
            case "treatment" -> files.treatmentLine(w.site(), w.recordId()).flatMap(line -> {
                List<Reason> reasons = WithdrawalRules.check(w, line == null ? null : line.patientPseudonym);
                if (!reasons.isEmpty()) {
                    return status(envelope, w.site(), w.recordType(), w.recordId(), reasons);
                }
                // The database removes the components with their line (on delete cascade).
                return files.delete(line)
                        .chain(() -> publish(envelope, Topics.TREATMENT_EVENTS, "TreatmentWithdrawn",
                                new RecordWithdrawn(w.recordType(), line.id, w.site(), w.recordId(), w.patientPseudonym(), null, null)))
                        .chain(() -> status(envelope, w.site(), w.recordType(), w.recordId(), List.of()));
            });
            default -> throw new MalformedEventException("episode-service owns no record type " + w.recordType());
        };
    }

    private Uni<Void> withdrawn(EventEnvelope cause, WithdrawalSubmitted w, String type, UUID id) {
        return publish(cause, type, new RecordWithdrawn(w.recordType(), id, w.site(), w.recordId(), w.patientPseudonym(), null, null));
    }

    // ------------------------------------------------------------------------------------------------ publishing

    private Uni<Void> publishEpisode(EventEnvelope cause, Episode episode, PatientFile file) {
        return publish(cause, "EpisodeRecorded", States.of(episode, file.patient(), file.assessmentsOf(episode.id)));
    }

    private Uni<Void> status(EventEnvelope cause, String site, String recordType, String recordId, List<Reason> reasons) {
        String verdict = reasons.isEmpty() ? "APPLIED" : "REJECTED";
        RecordStatus status = new RecordStatus(cause.correlationId(), site, recordType, recordId, verdict, reasons);
        return publish(cause, Topics.RECORD_STATUS, reasons.isEmpty() ? "RecordApplied" : "RecordRejected", status);
    }

    private Uni<Void> publish(EventEnvelope cause, String type, Object payload) {
        return publish(cause, Topics.EPISODE_EVENTS, type, payload);
    }

    private Uni<Void> publish(EventEnvelope cause, String topic, String type, Object payload) {
        return outbox.add(topic, EventEnvelope.causedBy(cause, type, Topics.SOURCE, EventCodec.toTree(payload)));
    }

    private LocalDate today() {
        return LocalDate.now(clock);
    }
}
