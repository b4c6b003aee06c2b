-- A treatment record becomes a treatment line (DOMAIN.md b): line number, intent, dates, regimen label and trial
-- enrolment, made of components by category with coded agents. Each existing record keeps its category as the
-- line's single component, so no recorded treatment is lost.

alter table treatment
    add column line_number       integer     check (line_number between 1 and 30),
    add column intent            varchar(10) check (intent in ('curative', 'palliative')),
    add column end_date          date,
    add column regimen_label     varchar(40),
    add column trial_enrolled    boolean,
    add column trial_registry_id varchar(20),
    add constraint treatment_end_not_before_start check (end_date is null or end_date >= start_date);

create table treatment_component (
    id                   uuid         primary key,
    treatment_id         uuid         not null references treatment (id) on delete cascade,
    position             integer      not null check (position >= 0),
    category             varchar(32)  not null check (category in ('chemotherapy', 'immunotherapy', 'consolidation',
                             'local_surgery', 'local_radiotherapy', 'maintenance', 'targeted', 'other')),
    -- Codes of the agent vocabulary (service-support AgentVocabulary), checked when a record is applied.
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

insert into treatment_component (id, treatment_id, position, category, start_date)
select gen_random_uuid(), id, 0, category, start_date from treatment;

update treatment t set line_number = numbered.n
from (select id, row_number() over (partition by site, episode_record_id order by start_date, id) as n from treatment) numbered
where numbered.id = t.id;

alter table treatment
    alter column line_number set not null,
    drop column category;
