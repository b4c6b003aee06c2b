create table treatment (
    id                uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    patient_pseudonym varchar(64)  not null,
    episode_record_id varchar(64)  not null,
    category          varchar(32)  not null check (category in ('chemotherapy', 'immunotherapy', 'consolidation',
                          'local_surgery', 'local_radiotherapy', 'maintenance', 'targeted', 'other')),
    start_date        date         not null,
    updated_at        timestamptz  not null,
    constraint treatment_natural_key unique (site, record_id)
);
create index treatment_by_patient on treatment (patient_pseudonym, start_date);
