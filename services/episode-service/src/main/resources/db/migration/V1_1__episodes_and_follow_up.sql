create table episode (
    id                uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    patient_pseudonym varchar(64)  not null,
    episode_type      varchar(16)  not null check (episode_type in ('refractory', 'relapse', 'progression')),
    episode_date      date         not null,
    episode_order     integer      not null check (episode_order >= 1),
    updated_at        timestamptz  not null,
    constraint episode_natural_key unique (site, record_id)
);
create index episode_by_patient on episode (patient_pseudonym, episode_date);

create table follow_up (
    id                uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    patient_pseudonym varchar(64)  not null,
    follow_up_date    date         not null,
    vital_status      varchar(8)   not null check (vital_status in ('alive', 'dead')),
    updated_at        timestamptz  not null,
    constraint follow_up_natural_key unique (site, record_id)
);
create index follow_up_by_patient on follow_up (patient_pseudonym, follow_up_date);
