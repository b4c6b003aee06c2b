package org.nbregistry.episode.service;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nbregistry.support.vocabulary.ClinicalCodes.CauseOfDeath;
import org.nbregistry.support.vocabulary.ClinicalCodes.Sex;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.EpisodeType;
import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.SecondMalignancy;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.VitalStatus;
import org.nbregistry.episode.messaging.Payloads.EpisodeSubmitted;
import org.nbregistry.episode.messaging.Payloads.FollowUpSubmitted;
import org.nbregistry.episode.messaging.Payloads.PatientSubmitted;
import org.nbregistry.episode.messaging.Payloads.Reason;
import org.nbregistry.episode.messaging.Payloads.ResponseAssessmentSubmitted;
import org.nbregistry.episode.messaging.Payloads.SecondMalignancySubmitted;
import org.nbregistry.episode.messaging.Payloads.WithdrawalSubmitted;
import org.nbregistry.episode.response.ComponentResponse;
import org.nbregistry.episode.response.MarrowResponse;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every cross-record rule of episode-service with a case that breaks it, and the clean case that passes. */
class CrossRecordRulesTest {

    static final LocalDate TODAY = LocalDate.of(2025, 6, 1);
    static final String P = "PSN-0001";

    // A patient diagnosed 2020-01-10, first episode 2022-03-01 assessed 2022-06-01, second episode 2023-05-01.
    final Patient patient = patient(P, LocalDate.of(2020, 1, 10));
    final Episode first = episode(P, "EP-1", "2022-03-01");
    final Episode second = episode(P, "EP-2", "2023-05-01");
    final ResponseAssessment assessed = assessment(first, "RA-1", "2022-06-01");

    PatientFile file(Object... records) {
        Patient p = null;
        List<Episode> episodes = new ArrayList<>();
        List<ResponseAssessment> assessments = new ArrayList<>();
        List<FollowUp> followUps = new ArrayList<>();
        List<SecondMalignancy> smn = new ArrayList<>();
        List<TreatmentLine> lines = new ArrayList<>();
        for (Object r : records) {
            if (r instanceof Patient x) {
                p = x;
            } else if (r instanceof Episode x) {
                episodes.add(x);
            } else if (r instanceof ResponseAssessment x) {
                assessments.add(x);
            } else if (r instanceof FollowUp x) {
                followUps.add(x);
            } else if (r instanceof SecondMalignancy x) {
                smn.add(x);
            } else if (r instanceof TreatmentLine x) {
                lines.add(x);
            }
        }
        return new PatientFile(p, episodes, assessments, followUps, smn, lines);
    }

    static void assertOnly(String field, String rule, List<Reason> reasons) {
        assertEquals(1, reasons.size(), reasons.toString());
        assertEquals(field, reasons.get(0).field(), reasons.toString());
        assertEquals(rule, reasons.get(0).rule(), reasons.toString());
        assertTrue(!reasons.get(0).message().isBlank());
    }

    @Nested
    class PatientRecord {

        PatientSubmitted submitted(String pseudonym, String recordId, String diagnosis) {
            return new PatientSubmitted("s", "S01", recordId, pseudonym, Sex.female, "2018-04", null, LocalDate.parse(diagnosis),
                    null, null, null, null);
        }

        @Test
        void aConsistentPatientPasses() {
            assertEquals(List.of(), PatientRules.check(submitted(P, "PT-1", "2020-01-10"), null, file(first, second), TODAY));
        }

        @Test
        void notInFuture() {
            assertOnly("initialDiagnosisDate", "not-in-future", PatientRules.check(submitted(P, "PT-1", "2025-06-02"), null, file(), TODAY));
        }

        @Test
        void immutablePseudonym() {
            Patient existing = patient("PSN-OTHER", LocalDate.of(2020, 1, 10));
            assertOnly("patientPseudonym", "immutable", PatientRules.check(submitted(P, existing.recordId, "2020-01-10"), existing, file(), TODAY));
        }

        @Test
        void singlePatientRecordPerPseudonym() {
            assertOnly("patientPseudonym", "single-patient-record",
                    PatientRules.check(submitted(P, "PT-OTHER", "2020-01-10"), null, file(patient), TODAY));
        }

        @Test
        void initialDiagnosisBeforeTheFirstEpisode() {
            assertOnly("initialDiagnosisDate", "before-first-episode",
                    PatientRules.check(submitted(P, "PT-1", "2022-03-01"), null, file(first, second), TODAY));
        }

        @Test
        void notAfterDeath() {
            assertOnly("initialDiagnosisDate", "not-after-death",
                    PatientRules.check(submitted(P, "PT-1", "2021-01-01"), null, file(death(P, "2020-12-31")), TODAY));
        }
    }

    @Nested
    class EpisodeRecord {

        EpisodeSubmitted submitted(String recordId, String date) {
            return submitted(P, recordId, date);
        }

        EpisodeSubmitted submitted(String pseudonym, String recordId, String date) {
            return new EpisodeSubmitted("s", "S01", recordId, pseudonym, EpisodeType.RELAPSE, LocalDate.parse(date),
                    null, null, null, null, null, null, null, null, null, null, null);
        }

        List<Reason> check(EpisodeSubmitted s, Episode existing, PatientFile file) {
            return EpisodeRules.check(s, existing, file, TODAY, false);
        }

        @Test
        void aNextEpisodeAfterThePreviousOnesAssessmentsPasses() {
            assertEquals(List.of(), check(submitted("EP-3", "2024-01-01"), null, file(patient, first, second, assessed)));
        }

        @Test
        void notInFuture() {
            assertOnly("episodeDate", "not-in-future", check(submitted("EP-3", "2025-06-02"), null, file()));
        }

        @Test
        void immutablePseudonym() {
            assertOnly("patientPseudonym", "immutable", check(submitted("PSN-OTHER", first.recordId, "2022-03-01"), first, file()));
        }

        @Test
        void knownPatientWhenThePatientRecordIsRequired() {
            assertOnly("patientPseudonym", "known-patient",
                    EpisodeRules.check(submitted("EP-1", "2022-03-01"), null, file(), TODAY, true));
            assertEquals(List.of(), check(submitted("EP-1", "2022-03-01"), null, file()), "not required by default");
        }

        @Test
        void afterInitialDiagnosis() {
            assertOnly("episodeDate", "after-initial-diagnosis", check(submitted("EP-0", "2020-01-10"), null, file(patient)));
        }

        @Test
        void notAfterDeath() {
            assertOnly("episodeDate", "not-after-death", check(submitted("EP-3", "2024-02-01"), null, file(first, death(P, "2024-01-31"))));
        }

        @Test
        void distinctEpisodeDates() {
            assertOnly("episodeDate", "distinct-episode-dates", check(submitted("EP-3", "2023-05-01"), null, file(first, second)));
        }

        @Test
        void afterThePreviousEpisodesAssessments() {
            assertOnly("episodeDate", "after-previous-episode", check(submitted("EP-1B", "2022-05-01"), null, file(first, second, assessed)));
        }

        @Test
        void aCorrectionKeepsTheEpisodeBeforeItsAssessments() {
            assertOnly("episodeDate", "assessment-after-episode", check(submitted("EP-1", "2022-07-01"), first, file(first, second, assessed)));
        }

        @Test
        void aCorrectionKeepsItsAssessmentsBeforeTheNextEpisode() {
            Episode early = episode(P, "EP-0", "2021-01-01");
            ResponseAssessment ofEarly = assessment(early, "RA-0", "2021-05-01");
            Episode next = episode(P, "EP-X", "2021-04-15");
            // Moved to 2021-04-01, EP-0 stays before its assessment, but the assessment would fall after EP-X.
            assertOnly("episodeDate", "before-next-episode", check(submitted("EP-0", "2021-04-01"), early, file(early, next, ofEarly)));
        }

        @Test
        void aCorrectionKeepsTheEpisodeNotAfterItsTreatmentLines() {
            TreatmentLine line = treatmentLine(first, "TR-1", "2022-03-10");
            assertOnly("episodeDate", "treatment-after-episode", check(submitted("EP-1", "2022-03-11"), first, file(first, line)));
            assertEquals(List.of(), check(submitted("EP-1", "2022-03-10"), first, file(first, line)), "a line may start on the episode date");
        }
    }

    @Nested
    class ResponseAssessmentRecord {

        ResponseAssessmentSubmitted submitted(String pseudonym, String recordId, String episodeRecordId, String date) {
            return new ResponseAssessmentSubmitted("s", "S01", recordId, pseudonym, episodeRecordId, LocalDate.parse(date), null, null,
                    ComponentResponse.PR, ComponentResponse.NI, MarrowResponse.CR, null, null, null);
        }

        @Test
        void anAssessmentWithinItsEpisodePasses() {
            assertEquals(List.of(), ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-1", "2022-09-01"), null, first,
                    file(patient, first, second), TODAY));
        }

        @Test
        void notInFuture() {
            assertOnly("assessmentDate", "not-in-future", ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-2", "2025-06-02"), null,
                    second, file(first, second), TODAY));
        }

        @Test
        void immutablePseudonym() {
            assertOnly("patientPseudonym", "immutable", ResponseAssessmentRules.check(submitted("PSN-OTHER", "RA-1", "EP-X", "2022-06-01"),
                    assessed, episode("PSN-OTHER", "EP-X", "2022-01-01"), file(), TODAY));
        }

        @Test
        void knownEpisode() {
            assertOnly("episodeRecordId", "known-episode", ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-9", "2022-09-01"), null,
                    null, file(first), TODAY));
        }

        @Test
        void episodeOfTheSamePatient() {
            Episode someoneElses = episode("PSN-OTHER", "EP-X", "2022-01-01");
            assertOnly("episodeRecordId", "episode-of-patient", ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-X", "2022-09-01"),
                    null, someoneElses, file(first), TODAY));
        }

        @Test
        void assessmentAfterTheEpisode() {
            assertOnly("assessmentDate", "assessment-after-episode", ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-1", "2022-03-01"),
                    null, first, file(first, second), TODAY));
        }

        @Test
        void beforeTheNextEpisode() {
            assertOnly("assessmentDate", "before-next-episode", ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-1", "2023-05-02"),
                    null, first, file(first, second), TODAY));
        }

        @Test
        void notAfterDeath() {
            assertOnly("assessmentDate", "not-after-death", ResponseAssessmentRules.check(submitted(P, "RA-2", "EP-2", "2024-01-02"),
                    null, second, file(first, second, death(P, "2024-01-01")), TODAY));
        }
    }

    @Nested
    class FollowUpRecord {

        FollowUpSubmitted aliveOn(String recordId, String date) {
            return new FollowUpSubmitted("s", "S01", recordId, P, LocalDate.parse(date), VitalStatus.ALIVE, null);
        }

        FollowUpSubmitted deadOn(String recordId, String date) {
            return new FollowUpSubmitted("s", "S01", recordId, P, LocalDate.parse(date), VitalStatus.DEAD, CauseOfDeath.disease_progression);
        }

        @Test
        void aDeathAfterEverythingElsePasses() {
            assertEquals(List.of(), FollowUpRules.check(deadOn("FU-9", "2024-01-01"), null,
                    file(patient, first, second, assessed, CrossRecordRulesTest.alive(P, "FU-1", "2023-12-01")), TODAY));
        }

        @Test
        void notInFuture() {
            assertOnly("date", "not-in-future", FollowUpRules.check(aliveOn("FU-1", "2025-06-02"), null, file(first), TODAY));
        }

        @Test
        void knownPatient() {
            assertOnly("patientPseudonym", "known-patient", FollowUpRules.check(aliveOn("FU-1", "2024-01-01"), null, file(), TODAY));
            assertEquals(List.of(), FollowUpRules.check(aliveOn("FU-1", "2024-01-01"), null, file(patient), TODAY),
                    "a patient record alone makes the patient known");
        }

        @Test
        void immutablePseudonym() {
            FollowUp existing = CrossRecordRulesTest.alive("PSN-OTHER", "FU-1", "2023-01-01");
            assertOnly("patientPseudonym", "immutable", FollowUpRules.check(aliveOn("FU-1", "2023-01-01"), existing, file(first), TODAY));
        }

        @Test
        void singleDeath() {
            assertOnly("vitalStatus", "single-death", FollowUpRules.check(deadOn("FU-2", "2024-01-01"), null,
                    file(first, death(P, "2024-01-01")), TODAY));
        }

        @Test
        void notAfterDeath() {
            assertOnly("date", "not-after-death", FollowUpRules.check(aliveOn("FU-2", "2024-02-01"), null,
                    file(first, death(P, "2024-01-01")), TODAY));
        }

        @Test
        void afterInitialDiagnosis() {
            assertOnly("date", "after-initial-diagnosis", FollowUpRules.check(aliveOn("FU-2", "2019-12-01"), null, file(patient), TODAY));
        }

        @Test
        void aDeathNotBeforeTheLastContact() {
            assertOnly("date", "not-before-last-contact", FollowUpRules.check(deadOn("FU-9", "2023-10-01"), null,
                    file(first, CrossRecordRulesTest.alive(P, "FU-1", "2023-12-01")), TODAY));
        }

        @Test
        void aDeathNotBeforeAnEpisode() {
            assertOnly("date", "not-before-episode", FollowUpRules.check(deadOn("FU-9", "2023-04-01"), null, file(first, second), TODAY));
        }

        @Test
        void aDeathNotBeforeAnAssessment() {
            assertOnly("date", "not-before-assessment", FollowUpRules.check(deadOn("FU-9", "2022-05-01"), null, file(first, assessed), TODAY));
        }

        @Test
        void aDeathNotBeforeASecondMalignancy() {
            SecondMalignancy smn = secondMalignancy(P, "SM-1", "2023-01-01");
            assertOnly("date", "not-before-second-malignancy", FollowUpRules.check(deadOn("FU-9", "2022-12-01"), null, file(first, smn), TODAY));
        }

        @Test
        void aDeathNotBeforeATreatmentLine() {
            TreatmentLine line = treatmentLine(first, "TR-1", "2022-04-01");
            assertOnly("date", "not-before-treatment", FollowUpRules.check(deadOn("FU-9", "2022-03-20"), null, file(first, line), TODAY));
            assertEquals(List.of(), FollowUpRules.check(deadOn("FU-9", "2022-04-01"), null, file(first, line), TODAY));
        }

        @Test
        void aCauseOfDeathOnlyWhenDead() {
            FollowUpSubmitted aliveWithCause = new FollowUpSubmitted("s", "S01", "FU-1", P, LocalDate.parse("2024-01-01"),
                    VitalStatus.ALIVE, CauseOfDeath.other);
            assertOnly("causeOfDeath", "only-when-dead", FollowUpRules.check(aliveWithCause, null, file(first), TODAY));
        }
    }

    @Nested
    class SecondMalignancyRecord {

        SecondMalignancySubmitted submitted(String pseudonym, String recordId, String date) {
            return new SecondMalignancySubmitted("s", "S01", recordId, pseudonym, LocalDate.parse(date), "AML");
        }

        @Test
        void aSecondMalignancyOfAKnownPatientPasses() {
            assertEquals(List.of(), SecondMalignancyRules.check(submitted(P, "SM-1", "2024-01-01"), null, file(patient, first), TODAY));
        }

        @Test
        void notInFuture() {
            assertOnly("diagnosisDate", "not-in-future", SecondMalignancyRules.check(submitted(P, "SM-1", "2025-06-02"), null, file(first), TODAY));
        }

        @Test
        void immutablePseudonym() {
            SecondMalignancy existing = secondMalignancy("PSN-OTHER", "SM-1", "2024-01-01");
            assertOnly("patientPseudonym", "immutable", SecondMalignancyRules.check(submitted(P, "SM-1", "2024-01-01"), existing, file(first), TODAY));
        }

        @Test
        void knownPatient() {
            assertOnly("patientPseudonym", "known-patient", SecondMalignancyRules.check(submitted(P, "SM-1", "2024-01-01"), null, file(), TODAY));
        }

        @Test
        void afterInitialDiagnosis() {
            assertOnly("diagnosisDate", "after-initial-diagnosis", SecondMalignancyRules.check(submitted(P, "SM-1", "2019-01-01"), null,
                    file(patient), TODAY));
        }

        @Test
        void notAfterDeath() {
            assertOnly("diagnosisDate", "not-after-death", SecondMalignancyRules.check(submitted(P, "SM-1", "2024-02-01"), null,
                    file(first, death(P, "2024-01-01")), TODAY));
        }
    }

    @Nested
    class Withdrawal {

        WithdrawalSubmitted of(String recordType, String recordId, String pseudonym) {
            return new WithdrawalSubmitted("s", "S01", recordType, recordId, pseudonym);
        }

        @Test
        void aStoredRecordOfThePatientCanBeWithdrawn() {
            assertEquals(List.of(), WithdrawalRules.check(of("follow-up", "FU-1", P), P));
            assertEquals(List.of(), WithdrawalRules.checkEpisode(of("episode", "EP-2", P), second, file(first, second, assessed)));
        }

        @Test
        void knownRecord() {
            assertOnly("recordId", "known-record", WithdrawalRules.check(of("follow-up", "FU-9", P), null));
        }

        @Test
        void immutablePseudonym() {
            assertOnly("patientPseudonym", "immutable", WithdrawalRules.check(of("follow-up", "FU-1", P), "PSN-OTHER"));
        }

        @Test
        void anEpisodeWithAssessmentsStays() {
            assertOnly("recordId", "no-dependent-records", WithdrawalRules.checkEpisode(of("episode", "EP-1", P), first, file(first, assessed)));
        }

        @Test
        void anEpisodeWithTreatmentLinesStays() {
            TreatmentLine ofFirst = treatmentLine(first, "TR-1", "2022-03-10");
            assertOnly("recordId", "no-dependent-records", WithdrawalRules.checkEpisode(of("episode", "EP-1", P), first, file(first, second, ofFirst)));
            assertEquals(List.of(), WithdrawalRules.checkEpisode(of("episode", "EP-2", P), second, file(first, second, ofFirst)),
                    "another episode's line does not hold this one");
        }
    }

    // ------------------------------------------------------------------ builders

    static Patient patient(String pseudonym, LocalDate diagnosis) {
        Patient p = new Patient();
        p.id = UUID.randomUUID();
        p.site = "S01";
        p.recordId = "PT-" + pseudonym;
        p.patientPseudonym = pseudonym;
        p.sex = Sex.female;
        p.initialDiagnosisDate = diagnosis;
        return p;
    }

    static Episode episode(String pseudonym, String recordId, String date) {
        Episode e = new Episode();
        e.id = UUID.randomUUID();
        e.site = "S01";
        e.recordId = recordId;
        e.patientPseudonym = pseudonym;
        e.episodeType = EpisodeType.RELAPSE;
        e.episodeDate = LocalDate.parse(date);
        return e;
    }

    static ResponseAssessment assessment(Episode episode, String recordId, String date) {
        ResponseAssessment a = new ResponseAssessment();
        a.id = UUID.randomUUID();
        a.site = "S01";
        a.recordId = recordId;
        a.patientPseudonym = episode.patientPseudonym;
        a.episodeId = episode.id;
        a.assessmentDate = LocalDate.parse(date);
        return a;
    }

    static FollowUp alive(String pseudonym, String recordId, String date) {
        return followUp(pseudonym, recordId, date, VitalStatus.ALIVE);
    }

    static FollowUp death(String pseudonym, String date) {
        return followUp(pseudonym, "FU-DEATH", date, VitalStatus.DEAD);
    }

    static FollowUp followUp(String pseudonym, String recordId, String date, VitalStatus status) {
        FollowUp f = new FollowUp();
        f.id = UUID.randomUUID();
        f.site = "S01";
        f.recordId = recordId;
        f.patientPseudonym = pseudonym;
        f.date = LocalDate.parse(date);
        f.vitalStatus = status;
        return f;
    }

    static TreatmentLine treatmentLine(Episode episode, String recordId, String start) {
        TreatmentLine line = new TreatmentLine();
        line.id = UUID.randomUUID();
        line.site = episode.site;
        line.recordId = recordId;
        line.patientPseudonym = episode.patientPseudonym;
        line.episodeRecordId = episode.recordId;
        line.startDate = LocalDate.parse(start);
        return line;
    }

    static SecondMalignancy secondMalignancy(String pseudonym, String recordId, String date) {
        SecondMalignancy s = new SecondMalignancy();
        s.id = UUID.randomUUID();
        s.site = "S01";
        s.recordId = recordId;
        s.patientPseudonym = pseudonym;
        s.diagnosisDate = LocalDate.parse(date);
        return s;
    }
}
