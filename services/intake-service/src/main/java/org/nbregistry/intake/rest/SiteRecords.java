package org.nbregistry.intake.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;

import java.time.LocalDate;

/**
 * The records a site submits. Field rules are checked here, synchronously; rules that need other records are
 * the owning service's. Unknown fields are refused (quarkus.jackson.fail-on-unknown-properties), so a site
 * cannot send identifying data by accident.
 */
public final class SiteRecords {

    static final String SITE = "^[A-Z0-9][A-Z0-9_-]{0,31}$";
    static final String PSEUDONYM = "^[A-Za-z0-9_-]{4,64}$";
    static final String RECORD_ID = "^[A-Za-z0-9._:-]{1,64}$";

    private SiteRecords() {
    }

    public enum EpisodeType { refractory, relapse, progression }

    public enum VitalStatus { alive, dead }

    public enum TreatmentCategory { chemotherapy, immunotherapy, consolidation, local_surgery, local_radiotherapy, maintenance, targeted, other }

    public record EpisodeRecord(
            @NotBlank @Pattern(regexp = SITE, message = "must be the site code: upper-case letters, digits, '-' or '_'") String site,
            @NotBlank @Pattern(regexp = RECORD_ID, message = "must be 1-64 letters, digits or . _ : -") String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = "must be a registry pseudonym of 4-64 letters, digits, '-' or '_'") String patientPseudonym,
            @NotNull EpisodeType episodeType,
            @NotNull @PastOrPresent LocalDate episodeDate) {
    }

    public record FollowUpRecord(
            @NotBlank @Pattern(regexp = SITE, message = "must be the site code: upper-case letters, digits, '-' or '_'") String site,
            @NotBlank @Pattern(regexp = RECORD_ID, message = "must be 1-64 letters, digits or . _ : -") String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = "must be a registry pseudonym of 4-64 letters, digits, '-' or '_'") String patientPseudonym,
            @NotNull @PastOrPresent LocalDate date,
            @NotNull VitalStatus vitalStatus) {
    }

    public record TreatmentRecord(
            @NotBlank @Pattern(regexp = SITE, message = "must be the site code: upper-case letters, digits, '-' or '_'") String site,
            @NotBlank @Pattern(regexp = RECORD_ID, message = "must be 1-64 letters, digits or . _ : -") String recordId,
            @NotBlank @Pattern(regexp = PSEUDONYM, message = "must be a registry pseudonym of 4-64 letters, digits, '-' or '_'") String patientPseudonym,
            @NotBlank @Pattern(regexp = RECORD_ID, message = "must be the site's record id of the episode") String episodeRecordId,
            @NotNull TreatmentCategory category,
            @NotNull @PastOrPresent LocalDate startDate) {
    }
}
