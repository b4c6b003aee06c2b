package org.nbregistry.episode.messaging;

import org.nbregistry.episode.EpisodeType;
import org.nbregistry.episode.VitalStatus;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The payloads episode-service reads and writes; their schemas are api-specs/events/*.schema.json. */
public final class Payloads {

    private Payloads() {
    }

    public record EpisodeSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                   EpisodeType episodeType, LocalDate episodeDate) {
    }

    public record FollowUpSubmitted(String submissionId, String site, String recordId, String patientPseudonym,
                                    LocalDate date, VitalStatus vitalStatus) {
    }

    public record EpisodeRecorded(UUID episodeId, String site, String recordId, String patientPseudonym,
                                  EpisodeType episodeType, LocalDate episodeDate, int episodeOrder) {
    }

    public record FollowUpRecorded(UUID followUpId, String site, String recordId, String patientPseudonym,
                                   LocalDate date, VitalStatus vitalStatus, LocalDate lastFollowUpDate, LocalDate deathDate) {
    }

    public record RecordStatus(String submissionId, String site, String recordType, String recordId, String status,
                               List<Reason> reasons) {
    }

    /** Why a record was rejected: which field, which rule, in words a data manager understands. */
    public record Reason(String field, String rule, String message) {
    }
}
