package org.nbregistry.episode.service;

import org.nbregistry.support.vocabulary.ClinicalCodes;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.EpisodeType;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.SecondMalignancy;
import org.nbregistry.episode.messaging.Payloads.Alk;
import org.nbregistry.episode.messaging.Payloads.Biopsy;
import org.nbregistry.episode.messaging.Payloads.EpisodeState;
import org.nbregistry.episode.messaging.Payloads.Frontline;
import org.nbregistry.episode.messaging.Payloads.Mibg;
import org.nbregistry.episode.messaging.Payloads.MolecularProfiling;
import org.nbregistry.episode.messaging.Payloads.PatientState;
import org.nbregistry.episode.messaging.Payloads.ResponseAssessmentState;
import org.nbregistry.episode.messaging.Payloads.SecondMalignancyState;
import org.nbregistry.episode.messaging.Payloads.TrialEnrolment;
import org.nbregistry.episode.response.InrcResponse;
import org.nbregistry.episode.response.OverallResponse;

import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The whole current state of each stored record, with what is derived from the patient's other records. */
public final class States {

    public static final String RESPONSE_SYSTEM = "INRC 2017";

    private States() {
    }

    public static PatientState of(Patient p) {
        Frontline frontline = p.frontlineProtocol == null && p.frontlineHdcAsct == null && p.frontlineAntiGd2 == null
                && p.frontlineRadiotherapy == null ? null
                : new Frontline(p.frontlineProtocol, p.frontlineHdcAsct, p.frontlineAntiGd2, p.frontlineRadiotherapy);
        return new PatientState(p.id, p.site, p.recordId, p.patientPseudonym, p.sex, p.birthYearMonth, p.ageAtInitialDiagnosisDays,
                p.initialDiagnosisDate, p.inrgssStage, p.inssStage, p.mycnStatusAtDiagnosis, frontline);
    }

    /**
     * @param patient     the patient record, for the time from initial diagnosis; null while there is none
     * @param assessments the episode's assessments, for its best response
     */
    public static EpisodeState of(Episode e, Patient patient, List<ResponseAssessment> assessments) {
        Optional<OverallResponse> best = InrcResponse.best(assessments.stream().map(a -> a.overallResponse).toList());
        Integer fromDiagnosis = patient == null ? null : (int) ChronoUnit.DAYS.between(patient.initialDiagnosisDate, e.episodeDate);
        return new EpisodeState(e.id, e.site, e.recordId, e.patientPseudonym, e.episodeType, e.episodeDate, e.episodeOrder,
                e.episodeType == EpisodeType.REFRACTORY ? "refractory" : "relapse_progression", fromDiagnosis,
                e.diseaseExtent, codes(e.metastaticSites, ClinicalCodes.MetastaticSite::valueOf), e.otherMetastaticSite,
                e.lymphNodeInvolvement,
                e.mibgAvidity == null ? null : new Mibg(e.mibgAvidity, e.curieScore, e.siopenScore),
                e.biopsyPerformed == null ? null : new Biopsy(e.biopsyPerformed, e.biopsyDate),
                e.profilingPerformed == null ? null
                        : new MolecularProfiling(e.profilingPerformed, codes(e.profilingMethods, ClinicalCodes.ProfilingMethod::valueOf)),
                e.mycnStatus,
                e.alkStatus == null ? null : new Alk(e.alkStatus, e.alkHgvsProtein, e.alkVariantAlleleFraction),
                codes(e.segmentalAberrations, ClinicalCodes.SegmentalAberration::ofCode),
                e.trialEnrolled == null ? null : new TrialEnrolment(e.trialEnrolled, e.trialRegistryId),
                best.orElse(null), best.map(OverallResponse::isDiseaseControl).orElse(null));
    }

    public static ResponseAssessmentState of(ResponseAssessment a, Episode episode) {
        return new ResponseAssessmentState(a.id, a.site, a.recordId, a.patientPseudonym, a.episodeId, episode.recordId,
                a.assessmentDate, a.timepointLabel, codes(a.methods, ClinicalCodes.AssessmentMethod::valueOf),
                a.primaryResponse, a.metastaticResponse, a.boneMarrowResponse, a.curieScore, a.siopenScore,
                a.boneMarrowInfiltrationPercent, a.overallResponse, RESPONSE_SYSTEM, a.needsCentralReview, a.centralReviewReason);
    }

    public static SecondMalignancyState of(SecondMalignancy s) {
        return new SecondMalignancyState(s.id, s.site, s.recordId, s.patientPseudonym, s.diagnosisDate, s.diagnosis);
    }

    static <E> List<E> codes(String[] stored, Function<String, E> parse) {
        return stored == null ? List.of() : Arrays.stream(stored).map(parse).toList();
    }

    static <E> String[] stored(List<E> codes, Function<E, String> code) {
        return codes == null ? new String[0] : codes.stream().map(code).distinct().toArray(String[]::new);
    }
}
