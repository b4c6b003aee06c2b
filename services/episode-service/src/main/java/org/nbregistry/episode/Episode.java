package org.nbregistry.episode;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.nbregistry.support.vocabulary.ClinicalCodes.AlkStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.DiseaseExtent;
import org.nbregistry.support.vocabulary.ClinicalCodes.LymphNodeInvolvement;
import org.nbregistry.support.vocabulary.ClinicalCodes.MibgAvidity;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * One refractory, relapse or progression event of a patient, identified for its site by the site's record id: its
 * extent, MIBG burden, work-up (biopsy, molecular profiling), findings and trial enrolment. Multi-select code lists
 * are PostgreSQL arrays of their codes.
 */
@Entity
@Table(name = "episode")
public class Episode extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Convert(converter = CodedEnumConverters.EpisodeTypeConverter.class)
    @Column(name = "episode_type", nullable = false)
    public EpisodeType episodeType;

    @Column(name = "episode_date", nullable = false)
    public LocalDate episodeDate;

    /** 1 = first R/R-P event of the patient; derived from the dates, never submitted. */
    @Column(name = "episode_order", nullable = false)
    public int episodeOrder;

    @Enumerated(EnumType.STRING)
    @Column(name = "disease_extent")
    public DiseaseExtent diseaseExtent;

    @Column(name = "metastatic_sites", nullable = false)
    public String[] metastaticSites = new String[0];

    @Column(name = "other_metastatic_site")
    public String otherMetastaticSite;

    @Enumerated(EnumType.STRING)
    @Column(name = "lymph_node_involvement")
    public LymphNodeInvolvement lymphNodeInvolvement;

    @Enumerated(EnumType.STRING)
    @Column(name = "mibg_avidity")
    public MibgAvidity mibgAvidity;

    @Column(name = "curie_score")
    public Integer curieScore;

    @Column(name = "siopen_score")
    public Integer siopenScore;

    @Column(name = "biopsy_performed")
    public Boolean biopsyPerformed;

    @Column(name = "biopsy_date")
    public LocalDate biopsyDate;

    @Column(name = "profiling_performed")
    public Boolean profilingPerformed;

    @Column(name = "profiling_methods", nullable = false)
    public String[] profilingMethods = new String[0];

    @Enumerated(EnumType.STRING)
    @Column(name = "mycn_status")
    public MycnStatus mycnStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "alk_status")
    public AlkStatus alkStatus;

    @Column(name = "alk_hgvs_protein")
    public String alkHgvsProtein;

    @Column(name = "alk_vaf")
    public Double alkVariantAlleleFraction;

    @Column(name = "segmental_aberrations", nullable = false)
    public String[] segmentalAberrations = new String[0];

    @Column(name = "trial_enrolled")
    public Boolean trialEnrolled;

    @Column(name = "trial_registry_id")
    public String trialRegistryId;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<Episode> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<List<Episode>> ofPatient(String site, String pseudonym) {
        return list("site = ?1 and patientPseudonym = ?2 order by episodeDate, id", site, pseudonym);
    }
}
