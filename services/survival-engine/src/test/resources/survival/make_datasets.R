#!/usr/bin/env Rscript
# Writes the fixture CSVs for the survival engine's exactness tests (seeded, reproducible):
#   registry_ties.csv  tie-heavy, registry-shaped episodes (integer days, many visits on whole months)
#   edge_cases.csv     day-0 event, event and censoring on one day, S reaching 0, an all-censored group,
#                      a one-subject group, S exactly 0.5 on a flat stretch
#   lung.csv, veteran.csv  exported from R's survival package (status recoded to 0/1)
# Run from this directory:  Rscript make_datasets.R   (then regenerate_expected.sh)
suppressPackageStartupMessages(library(survival))

set.seed(20240604)
n <- 400
episode_type <- sample(c("refractory", "relapse", "progression"), n, TRUE, prob = c(0.25, 0.5, 0.25))
mycn <- sample(c("amplified", "not_amplified"), n, TRUE, prob = c(0.35, 0.65))
order <- sample(c("first", "successive"), n, TRUE, prob = c(0.7, 0.3))
site <- sample(paste0("S", 1:6), n, TRUE)
rate <- 1 / 700 * ifelse(mycn == "amplified", 2.2, 1) *
  c(refractory = 1.6, relapse = 1, progression = 1.3)[episode_type] * ifelse(order == "successive", 1.4, 1)
event_time <- rexp(n, rate)
censor_time <- runif(n, 30, 2400)
time <- pmin(event_time, censor_time)
status <- as.integer(event_time <= censor_time)
# follow-up visits fall on whole months for most episodes, which produces many ties
monthly <- runif(n) < 0.6
time_days <- ifelse(monthly, pmax(30, round(time / 30) * 30), round(time))
write.csv(data.frame(id = sprintf("E%04d", seq_len(n)), episode_type, mycn, order, site,
                     time_days = as.integer(time_days), status),
          "registry_ties.csv", row.names = FALSE, quote = FALSE)

# edge cases. arm A: day-0 event, event and censoring together on days 5, 9 and 20; B: ends with an
# event (S reaches 0) after an event+censoring tie; C: all censored; D: one subject; E: S exactly 0.5 up
# to the last follow-up (median and quantile rules differ); F: S exactly 0.5 on a flat stretch followed by
# a drop (midpoint rule). `pair` splits the same rows into two levels for two-group figures.
edge <- data.frame(
  arm = c(rep("A", 9), rep("B", 6), rep("C", 6), "D", "E", "E", rep("F", 4)),
  time_days = c(0, 5, 5, 9, 9, 12, 20, 20, 31,   3, 3, 7, 11, 11, 15,   2, 8, 8, 14, 30, 40,   6,
                6, 9,   10, 10, 20, 30),
  status    = c(1, 1, 0, 1, 0, 1, 1, 0, 0,       1, 0, 1, 1, 0, 1,      0, 0, 0, 0, 0, 0,      1,
                1, 0,   1, 1, 0, 1))
edge$pair <- rep(c("p", "q"), length.out = nrow(edge))
edge <- data.frame(id = sprintf("X%02d", seq_len(nrow(edge))), edge)
write.csv(edge, "edge_cases.csv", row.names = FALSE, quote = FALSE)

lung2 <- survival::lung
write.csv(data.frame(id = seq_len(nrow(lung2)), sex = lung2$sex, ph_ecog = lung2$ph.ecog,
                     inst = lung2$inst, time_days = lung2$time, status = lung2$status - 1L),
          "lung.csv", row.names = FALSE, quote = FALSE, na = "")
vet <- survival::veteran
write.csv(data.frame(id = seq_len(nrow(vet)), trt = vet$trt, celltype = vet$celltype,
                     prior = vet$prior, time_days = vet$time, status = vet$status),
          "veteran.csv", row.names = FALSE, quote = FALSE)
