-- A pseudonym names a patient within the site that submits it (PatientFile; README, "Cross-site privacy"): two sites
-- may each register a patient under the same pseudonym. One record per pseudonym across sites refused the second
-- site's patient record (dead-lettered, no verdict), which also told that site the pseudonym was taken elsewhere.
alter table patient drop constraint patient_one_per_pseudonym;
alter table patient add constraint patient_one_per_site_and_pseudonym unique (site, patient_pseudonym);
