-- What treatment-service knows of episode-service's records, learnt from registry.episode-events, to check a line's
-- episode reference without calling another service: the episodes (by the site's record id) and the deaths.
create table known_episode (
    episode_id        uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    patient_pseudonym varchar(64)  not null,
    episode_date      date         not null,
    updated_at        timestamptz  not null,
    constraint known_episode_natural_key unique (site, record_id)
);
create index known_episode_by_patient on known_episode (patient_pseudonym, episode_date);

create table known_death (
    patient_pseudonym varchar(64) primary key,
    death_date        date        not null
);

-- Lines whose episode has not reached this service yet (it may still be on its way through episode-service):
-- applied when the episode arrives, rejected once registry.treatment.episode-wait has passed without it.
create table parked_treatment (
    message_id        uuid         primary key,
    site              varchar(32)  not null,
    record_id         varchar(64)  not null,
    episode_record_id varchar(64)  not null,
    envelope          text         not null,
    parked_at         timestamptz  not null
);
create index parked_treatment_by_episode on parked_treatment (site, episode_record_id);
create index parked_treatment_by_age on parked_treatment (parked_at);
create index parked_treatment_by_record on parked_treatment (site, record_id);
