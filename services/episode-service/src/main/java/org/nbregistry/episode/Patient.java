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
import org.nbregistry.support.vocabulary.ClinicalCodes.HdcAsct;
import org.nbregistry.support.vocabulary.ClinicalCodes.InrgssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.InssStage;
import org.nbregistry.support.vocabulary.ClinicalCodes.MycnStatus;
import org.nbregistry.support.vocabulary.ClinicalCodes.Sex;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A pseudonymised patient: what the initial diagnosis was and how frontline therapy went. Never a name, record
 * number, address or full date of birth: the age at diagnosis in days or the birth year-month stands in for it.
 */
@Entity
@Table(name = "patient")
public class Patient extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String site;

    @Column(name = "record_id", nullable = false)
    public String recordId;

    @Column(name = "patient_pseudonym", nullable = false)
    public String patientPseudonym;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Sex sex;

    @Column(name = "birth_year_month")
    public String birthYearMonth;

    @Column(name = "age_at_initial_dx_days")
    public Integer ageAtInitialDiagnosisDays;

    @Column(name = "initial_diagnosis_date", nullable = false)
    public LocalDate initialDiagnosisDate;

    @Enumerated(EnumType.STRING)
    @Column(name = "inrgss_stage")
    public InrgssStage inrgssStage;

    @Convert(converter = CodedEnumConverters.InssStageConverter.class)
    @Column(name = "inss_stage")
    public InssStage inssStage;

    @Enumerated(EnumType.STRING)
    @Column(name = "mycn_status_at_diagnosis")
    public MycnStatus mycnStatusAtDiagnosis;

    @Column(name = "frontline_protocol")
    public String frontlineProtocol;

    @Enumerated(EnumType.STRING)
    @Column(name = "frontline_hdc_asct")
    public HdcAsct frontlineHdcAsct;

    @Column(name = "frontline_anti_gd2")
    public Boolean frontlineAntiGd2;

    @Column(name = "frontline_radiotherapy")
    public Boolean frontlineRadiotherapy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Uni<Patient> findByNaturalKey(String site, String recordId) {
        return find("site = ?1 and recordId = ?2", site, recordId).firstResult();
    }

    public static Uni<Patient> ofPseudonym(String site, String pseudonym) {
        return find("site = ?1 and patientPseudonym = ?2", site, pseudonym).firstResult();
    }
}
