#!/usr/bin/env Rscript
# Derives EFS and OS per episode of the demo cohort (cohort.csv, written by DemoCohortTest from the seeded
# generator), independently of the Java derivation, in the input format of reference.R. Regenerate: sh regenerate.sh
# Definitions (DOMAIN.md "Time-to-event"): t0 = episode date; EFS ends at the patient's next episode or death, else
# censored at the last follow-up; OS ends at death, else censored at the last date known alive. Whole days.
d <- read.csv("cohort.csv", stringsAsFactors = FALSE, na.strings = c("", "NA"))
d$episode_date <- as.Date(d$episode_date)
d$last_follow_up <- as.Date(d$last_follow_up)
d$death_date <- as.Date(d$death_date)
d <- d[order(d$patient, d$episode_date), ]
d$id <- paste(d$patient, d$episode_date, sep = "/")
d$order <- ave(as.numeric(d$episode_date), d$patient, FUN = seq_along)
next_date <- ave(as.numeric(d$episode_date), d$patient, FUN = function(x) c(x[-1], NA))
last_episode <- ave(as.numeric(d$episode_date), d$patient, FUN = max)
t0 <- as.numeric(d$episode_date)
death <- as.numeric(d$death_date)
last_fu <- as.numeric(d$last_follow_up)

efs_end <- pmin(next_date, death, na.rm = TRUE)
efs_event <- as.integer(!is.na(efs_end))
efs_time <- ifelse(efs_event == 1, efs_end - t0, pmax(last_fu, t0) - t0)
os_event <- as.integer(!is.na(death))
os_time <- ifelse(os_event == 1, death - t0, pmax(last_fu, last_episode, t0) - t0)

listed <- function(column, value) grepl(paste0("(^|;)", value, "(;|$)"), ifelse(is.na(column), "", column))
yes_no <- function(x) ifelse(x, "yes", "no")
groups <- data.frame(
  id = d$id,
  episode_type = ifelse(d$episode_type == "refractory", "refractory", "relapse_progression"),
  episode_order = ifelse(d$order == 1, "first", "successive"),
  site = d$site,
  mycn_amplified = yes_no(d$mycn == "amplified"),
  lymph_node_metastases = yes_no(d$lymph_nodes %in% c("regional", "distant")),
  irinotecan_or_topotecan = yes_no(listed(d$agents, "irinotecan") | listed(d$agents, "topotecan")),
  local_radiotherapy = yes_no(listed(d$treatments, "local_radiotherapy")),
  immunotherapy = yes_no(listed(d$treatments, "immunotherapy")),
  chemotherapy = yes_no(listed(d$treatments, "chemotherapy")),
  consolidation = yes_no(listed(d$treatments, "consolidation")),
  maintenance = yes_no(listed(d$treatments, "maintenance")),
  local_surgery = yes_no(listed(d$treatments, "local_surgery")),
  trial_enrolment = d$trial,
  biopsy = d$biopsy,
  molecular_profiling = d$profiling,
  # INRC 2017 overall response (DOMAIN.md): any PD is PD; the demo's other assessments are PR or SD, i.e. disease
  # control. Episodes without an assessment have no level (NA), and R leaves them out of that grouping.
  response_or_stabilisation = ifelse(is.na(d$metastatic_response), NA, ifelse(d$metastatic_response == "PD", "no", "yes")),
  stringsAsFactors = FALSE)
write.csv(cbind(groups, time_days = efs_time, status = efs_event), "efs.csv", row.names = FALSE, quote = FALSE)
write.csv(cbind(groups, time_days = os_time, status = os_event), "os.csv", row.names = FALSE, quote = FALSE)
