-- A pseudonym names a patient within the site that submits it (episode-service's PatientFile): a death is known per
-- site and pseudonym, so one site's death never stops another site's treatment line. Deaths recorded before carry
-- the site of the patient's episodes.
alter table known_death add column site varchar(64);
update known_death d set site = (select min(e.site) from known_episode e where e.patient_pseudonym = d.patient_pseudonym);
delete from known_death where site is null;
alter table known_death alter column site set not null;
alter table known_death drop constraint known_death_pkey;
alter table known_death add primary key (site, patient_pseudonym);
