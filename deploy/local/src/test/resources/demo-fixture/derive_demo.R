#!/usr/bin/env Rscript
# Derives EFS and OS per episode of the demo cohort (cohort.csv, written by DemoCohortTest from the seeded
# generator), independently of the Java derivation, in the input format of reference.R. Regenerate: sh regenerate.sh
# The time-to-event rules are the fixture cohort's (analytics-service's fixture/episode_times.R).
source("../../../../../../services/analytics-service/src/test/resources/fixture/episode_times.R")
d <- episode_times(read.csv("cohort.csv", stringsAsFactors = FALSE, na.strings = c("", "NA")))

listed <- function(column, value) grepl(paste0("(^|;)", value, "(;|$)"), ifelse(is.na(column), "", column))
yes_no <- function(x) ifelse(x, "yes", "no")
groups <- cbind(episode_groups(d), data.frame(
  mycn_amplified = yes_no(d$mycn == "amplified"),
  lymph_node_metastases = yes_no(d$lymph_nodes %in% c("regional", "distant")),
  irinotecan_or_topotecan = yes_no(listed(d$agents, "irinotecan") | listed(d$agents, "topotecan")),
  consolidation = yes_no(listed(d$treatments, "consolidation")),
  maintenance = yes_no(listed(d$treatments, "maintenance")),
  local_surgery = yes_no(listed(d$treatments, "local_surgery")),
  trial_enrolment = d$trial,
  biopsy = d$biopsy,
  molecular_profiling = d$profiling,
  # INRC 2017 overall response (DOMAIN.md): any PD is PD; the demo's other assessments are PR or SD, i.e. disease
  # control. Episodes without an assessment have no level (NA), and R leaves them out of that grouping.
  response_or_stabilisation = ifelse(is.na(d$metastatic_response), NA, ifelse(d$metastatic_response == "PD", "no", "yes")),
  stringsAsFactors = FALSE))
write.csv(cbind(groups, time_days = d$efs_time, status = d$efs_status), "efs.csv", row.names = FALSE, quote = FALSE)
write.csv(cbind(groups, time_days = d$os_time, status = d$os_status), "os.csv", row.names = FALSE, quote = FALSE)
