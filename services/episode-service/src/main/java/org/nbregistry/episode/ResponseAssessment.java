package org.nbregistry.episode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.nbregistry.episode.response.ComponentResponse;
import org.nbregistry.episode.response.MarrowResponse;
import org.nbregistry.episode.response.OverallResponse;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One INRC 2017 assessment of an episode: the component responses as submitted and the overall response derived
 * from them when stored (see {@link org.nbregistry.episode.response.InrcResponse}).
 */
@Entity
@Table(name = "response_assessment")
public class ResponseAssessment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Column(name = "episode_id", nullable = false)
    public UUID episodeId;

    @Column(name = "assessment_date", nullable = false)
    public LocalDate assessmentDate;

    @Column(name = "timepoint_label")
    public String timepointLabel;

    @Column(nullable = false)
    public String[] methods = new String[0];

    @Enumerated(EnumType.STRING)
    @Column(name = "primary_response", nullable = false)
    public ComponentResponse primaryResponse;

    @Enumerated(EnumType.STRING)
    @Column(name = "metastatic_response", nullable = false)
    public ComponentResponse metastaticResponse;

    @Enumerated(EnumType.STRING)
    @Column(name = "bone_marrow_response", nullable = false)
    public MarrowResponse boneMarrowResponse;

    @Column(name = "curie_score")
    public Integer curieScore;

    @Column(name = "siopen_score")
    public Integer siopenScore;

    @Column(name = "bm_infiltration_pct")
    public Double boneMarrowInfiltrationPercent;

    @Enumerated(EnumType.STRING)
    @Column(name = "overall_response", nullable = false)
    public OverallResponse overallResponse;

    @Column(name = "needs_central_review", nullable = false)
    public boolean needsCentralReview;

    @Column(name = "central_review_reason")
    public String centralReviewReason;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<ResponseAssessment> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<ResponseAssessment>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by assessmentDate, id", site, pseudonym);
    }
}
