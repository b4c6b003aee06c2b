-- episode-service owns the treatment lines (one owner of a patient's clinical records, so a line is checked against
-- its episode and the patient's death in the transaction that applies it). The copy it kept of another service's
-- lines gives way to the lines themselves; an existing deployment copies its rows from the former `treatments`
-- database (deploy/k8s/README.md, upgrading).
drop table treatment_line;

create table treatment (
    id                uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    patient_pseudonym varchar(64)  not null,
    episode_record_id varchar(64)  not null,
    line_number       integer      not null check (line_number between 1 and 30),
    intent            varchar(10)  check (intent in ('curative', 'palliative')),
    start_date        date         not null,
    end_date          date,
    regimen_label     varchar(40),
    trial_enrolled    boolean,
    trial_registry_id varchar(20),
    updated_at        timestamptz  not null,
    constraint treatment_natural_key unique (site, record_id),
    constraint treatment_end_not_before_start check (end_date is null or end_date >= start_date)
);
create index treatment_by_patient on treatment (site, patient_pseudonym, start_date);

create table treatment_component (
    id                   uuid         primary key,
    treatment_id         uuid         not null references treatment (id) on delete cascade,
    position             integer      not null check (position >= 0),
    category             varchar(32)  not null check (category in ('chemotherapy', 'immunotherapy', 'consolidation',
                             'local_surgery', 'local_radiotherapy', 'maintenance', 'targeted', 'other')),
    -- Codes of the agent vocabulary (service-support AgentVocabulary), checked when a line is applied.
    agents               varchar(40)[] not null default '{}',
    start_date           date,
    end_date             date,
    cycles               integer      check (cycles between 1 and 99),
    completed            boolean,
    not_completed_reason varchar(16)  check (not_completed_reason in ('toxicity', 'progression', 'death', 'patient_choice', 'other')),
    surgery_extent       varchar(16)  check (surgery_extent in ('complete', 'gross_total', 'near_total', 'partial', 'biopsy_only')),
    rt_total_dose_gy     double precision check (rt_total_dose_gy > 0 and rt_total_dose_gy <= 80),
    rt_fractions         integer      check (rt_fractions between 1 and 60),
    rt_modality          varchar(8)   check (rt_modality in ('photon', 'proton', 'other')),
    rt_target            varchar(24)  check (rt_target in ('primary', 'metastases', 'primary_and_metastases')),
    stem_cell_rescue     varchar(8)   check (stem_cell_rescue in ('single', 'tandem')),
    constraint treatment_component_position unique (treatment_id, position)
);
