-- The clinical model of DOMAIN.md (b): patients, episode detail, INRC response assessments, cause of death and
-- subsequent malignancies. Codes are stored as the API and the events spell them; the checks keep them honest.

create table patient (
    id                       uuid         primary key,
    site                     varchar(32)  not null,
    record_id                varchar(64)  not null,
    patient_pseudonym        varchar(64)  not null,
    sex                      varchar(8)   not null check (sex in ('male', 'female', 'unknown')),
    birth_year_month         varchar(7)   check (birth_year_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    age_at_initial_dx_days   integer      check (age_at_initial_dx_days between 0 and 9131),
    initial_diagnosis_date   date         not null,
    inrgss_stage             varchar(2)   check (inrgss_stage in ('L1', 'L2', 'M', 'MS')),
    inss_stage               varchar(2)   check (inss_stage in ('1', '2A', '2B', '3', '4', '4S')),
    mycn_status_at_diagnosis varchar(16)  check (mycn_status_at_diagnosis in ('amplified', 'gain', 'not_amplified', 'heterogeneous', 'not_done', 'unknown')),
    frontline_protocol       varchar(40),
    frontline_hdc_asct       varchar(8)   check (frontline_hdc_asct in ('none', 'single', 'tandem')),
    frontline_anti_gd2       boolean,
    frontline_radiotherapy   boolean,
    updated_at               timestamptz  not null,
    constraint patient_natural_key unique (site, record_id),
    -- One patient record per pseudonym, whichever site registered it.
    constraint patient_one_per_pseudonym unique (patient_pseudonym),
    constraint patient_age_or_birth_month check (age_at_initial_dx_days is not null or birth_year_month is not null)
);

alter table episode
    add column disease_extent         varchar(10) check (disease_extent in ('local', 'metastatic', 'combined')),
    add column metastatic_sites       varchar(24)[] not null default '{}'
        check (metastatic_sites <@ array['bone', 'bone_marrow', 'regional_lymph_nodes', 'distant_lymph_nodes', 'liver', 'lung', 'cns', 'skin', 'other']::varchar(24)[]),
    add column other_metastatic_site  varchar(40),
    add column lymph_node_involvement varchar(8)  check (lymph_node_involvement in ('none', 'regional', 'distant')),
    add column mibg_avidity           varchar(8)  check (mibg_avidity in ('avid', 'non_avid', 'not_done')),
    add column curie_score            integer     check (curie_score between 0 and 30),
    add column siopen_score           integer     check (siopen_score between 0 and 72),
    add column biopsy_performed       boolean,
    add column biopsy_date            date,
    add column profiling_performed    boolean,
    add column profiling_methods      varchar(12)[] not null default '{}'
        check (profiling_methods <@ array['fish', 'snp_array', 'mlpa', 'ngs_panel', 'wes_wgs', 'rna_seq', 'ctdna']::varchar(12)[]),
    add column mycn_status            varchar(16) check (mycn_status in ('amplified', 'gain', 'not_amplified', 'heterogeneous', 'not_done', 'unknown')),
    add column alk_status             varchar(10) check (alk_status in ('wild_type', 'mutated', 'amplified', 'not_done')),
    add column alk_hgvs_protein       varchar(40),
    add column alk_vaf                double precision check (alk_vaf between 0 and 1),
    add column segmental_aberrations  varchar(10)[] not null default '{}'
        check (segmental_aberrations <@ array['11q_loss', '1p_loss', '17q_gain', '1q_gain', '2p_gain', '3p_loss', '4p_loss', 'none', 'not_done']::varchar(10)[]),
    add column trial_enrolled         boolean,
    add column trial_registry_id      varchar(20);

create table response_assessment (
    id                     uuid         primary key,
    site                   varchar(32)  not null,
    record_id              varchar(64)  not null,
    patient_pseudonym      varchar(64)  not null,
    episode_id             uuid         not null references episode (id),
    assessment_date        date         not null,
    timepoint_label        varchar(40),
    methods                varchar(12)[] not null default '{}'
        check (methods <@ array['ct', 'mri', 'mibg', 'fdg_pet', 'bm_aspirate', 'bm_biopsy']::varchar(12)[]),
    primary_response       varchar(2)   not null check (primary_response in ('CR', 'PR', 'SD', 'PD', 'NI', 'NE')),
    metastatic_response    varchar(2)   not null check (metastatic_response in ('CR', 'PR', 'SD', 'PD', 'NI', 'NE')),
    bone_marrow_response   varchar(2)   not null check (bone_marrow_response in ('CR', 'MD', 'SD', 'PD', 'NI', 'NE')),
    curie_score            integer      check (curie_score between 0 and 30),
    siopen_score           integer      check (siopen_score between 0 and 72),
    bm_infiltration_pct    double precision check (bm_infiltration_pct between 0 and 100),
    -- Derived from the three component responses when stored; kept for queries, never submitted.
    overall_response       varchar(2)   not null check (overall_response in ('CR', 'PR', 'MR', 'SD', 'PD', 'NE')),
    needs_central_review   boolean      not null,
    central_review_reason  varchar(200),
    updated_at             timestamptz  not null,
    constraint response_assessment_natural_key unique (site, record_id)
);
create index response_assessment_by_patient on response_assessment (patient_pseudonym, assessment_date);

alter table follow_up
    add column cause_of_death varchar(24)
        check (cause_of_death in ('disease_progression', 'treatment_related', 'secondary_malignancy', 'other', 'unknown')),
    add constraint follow_up_cause_only_when_dead check (cause_of_death is null or vital_status = 'dead');

create table second_malignancy (
    id                uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    patient_pseudonym varchar(64)  not null,
    diagnosis_date    date         not null,
    diagnosis         varchar(40),
    updated_at        timestamptz  not null,
    constraint second_malignancy_natural_key unique (site, record_id)
);
create index second_malignancy_by_patient on second_malignancy (patient_pseudonym, diagnosis_date);
