package org.nbregistry.episode.service;

import io.smallrye.mutiny.Uni;
import org.nbregistry.episode.Episode;
import org.nbregistry.episode.FollowUp;
import org.nbregistry.episode.Patient;
import org.nbregistry.episode.ResponseAssessment;
import org.nbregistry.episode.SecondMalignancy;
import org.nbregistry.episode.TreatmentLine;
import org.nbregistry.episode.VitalStatus;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything one site holds on one patient, read in the transaction that applies a record: the cross-record rules are
 * checked against it. The patient record is absent for patients known only by their episodes.
 *
 * <p>A pseudonym names a patient within the site that submits it: another site's records under the same pseudonym
 * are another patient's file, never read, changed or mentioned here, so a site learns nothing of them, not even that
 * they exist. (A child who moves hospitals is two patients until the registry links them explicitly.)
 */
public record PatientFile(Patient patient, List<Episode> episodes, List<ResponseAssessment> assessments, List<FollowUp> followUps,
                   List<SecondMalignancy> secondMalignancies, List<TreatmentLine> treatmentLines) {

    /** Reads sequentially: one reactive session runs one statement at a time. */
    public static Uni<PatientFile> load(String site, String pseudonym) {
        return Patient.ofPseudonym(site, pseudonym).flatMap(patient -> Episode.ofPatient(site, pseudonym)
                .flatMap(episodes -> ResponseAssessment.ofPatient(site, pseudonym)
                        .flatMap(assessments -> FollowUp.ofPatient(site, pseudonym)
                                .flatMap(followUps -> SecondMalignancy.ofPatient(site, pseudonym)
                                        .flatMap(smn -> TreatmentLine.ofPatient(site, pseudonym)
                                                .map(lines -> new PatientFile(patient, episodes, assessments, followUps, smn, lines)))))));
    }

    PatientFile withPatient(Patient replacement) {
        return new PatientFile(replacement, episodes, assessments, followUps, secondMalignancies, treatmentLines);
    }

    PatientFile withEpisodes(List<Episode> replacement) {
        return new PatientFile(patient, replacement, assessments, followUps, secondMalignancies, treatmentLines);
    }

    PatientFile withAssessments(List<ResponseAssessment> replacement) {
        return new PatientFile(patient, episodes, replacement, followUps, secondMalignancies, treatmentLines);
    }

    /** Known to the registry: a patient record or at least one episode. */
    public boolean isKnown() {
        return patient != null || !episodes.isEmpty();
    }

    Optional<LocalDate> initialDiagnosisDate() {
        return Optional.ofNullable(patient).map(p -> p.initialDiagnosisDate);
    }

    Optional<LocalDate> deathDate() {
        return deathDate(followUps);
    }

    static Optional<LocalDate> deathDate(List<FollowUp> followUps) {
        return followUps.stream().filter(f -> f.vitalStatus == VitalStatus.DEAD).map(f -> f.date).findFirst();
    }

    List<TreatmentLine> treatmentLinesOf(Episode episode) {
        return treatmentLines.stream().filter(line -> line.treats(episode)).toList();
    }

    public List<ResponseAssessment> assessmentsOf(UUID episodeId) {
        return assessments.stream().filter(a -> a.episodeId.equals(episodeId)).toList();
    }

    /** The latest episode dated before {@code date}, leaving out the episode being corrected. */
    Optional<Episode> episodeBefore(LocalDate date, UUID excluded) {
        return episodes.stream().filter(e -> !e.id.equals(excluded)).filter(e -> e.episodeDate.isBefore(date))
                .max(Comparator.comparing((Episode e) -> e.episodeDate));
    }

    /** The earliest episode dated after {@code date}, leaving out the episode being corrected. */
    Optional<Episode> episodeAfter(LocalDate date, UUID excluded) {
        return episodes.stream().filter(e -> !e.id.equals(excluded)).filter(e -> e.episodeDate.isAfter(date))
                .min(Comparator.comparing((Episode e) -> e.episodeDate));
    }
}
