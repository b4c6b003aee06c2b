#!/usr/bin/env Rscript
# cox_generate.R -- writes the Cox fixture datasets next to this script (seeded, reproducible):
#   cox_registry.csv  tie-heavy, registry-shaped: patients with 1-3 episodes, two factors
#                     (mycn: 2 levels, risk: 3 levels), a continuous age, a stratum (era)
#   cox_edge.csv      hand-made edge cases: a level with no events (diverging coefficient),
#                     a one-subject level, an event at day 0, events and censorings on the same
#                     day, the last follow-up an event for everyone left (S reaches 0)
#   cox_heavyties.csv 3000 records on a coarse 60-day grid: up to hundreds of tied events a day,
#                     which exercises the O(1) Efron sums of the count-based Cox
#   cox_lung.csv      survival::lung     (status recoded 0/1; '.' in names replaced by '_')
#   cox_veteran.csv   survival::veteran  (factors written as strings)
# Usage: Rscript cox_generate.R [OUTDIR]   (default: the current directory)
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) > 0) args[1] else "."
w <- function(d, f) write.csv(d, file.path(outdir, f), row.names = FALSE, quote = FALSE, na = "")

# ------------------------------------------------------------------ registry-shaped
set.seed(20240611)
n_pat <- 320
rows <- list()
eid <- 0
for (p in seq_len(n_pat)) {
  n_ep <- sample(1:3, 1, prob = c(0.70, 0.22, 0.08))
  mycn <- if (runif(1) < 0.3) "amp" else "non"
  risk <- sample(c("low", "intermediate", "high"), 1, prob = c(0.35, 0.25, 0.40))
  age0 <- round(min(18, 0.2 + rgamma(1, shape = 2, rate = 1.1)), 2)
  era <- if (runif(1) < 0.5) "early" else "late"
  frail <- rgamma(1, shape = 2, rate = 2)
  for (k in seq_len(n_ep)) {
    eid <- eid + 1
    age <- round(age0 + 0.7 * (k - 1), 2)
    lp <- 0.8 * (mycn == "amp") + c(low = 0, intermediate = 0.45, high = 1.0)[[risk]] +
          0.06 * age + 0.25 * (k - 1) - 0.3 * (era == "late")
    te <- rexp(1, rate = 0.0006 * frail * exp(lp))
    tc <- min(runif(1, 30, 2600), 1826)
    t <- min(te, tc)
    st <- as.integer(te <= tc)
    # most follow-up is recorded at monthly visits (tie-heavy); some to the exact day
    td <- if (runif(1) < 0.75) 30 * ceiling(t / 30) else ceiling(t)
    rows[[eid]] <- data.frame(id = eid, patient_id = sprintf("P%04d", p), mycn = mycn,
                              risk = risk, age_years = age, era = era,
                              time_days = as.integer(td), status = st)
  }
}
w(do.call(rbind, rows), "cox_registry.csv")

# ------------------------------------------------------------------ edge cases
edge <- data.frame(
  grp       = c(rep("a", 12), rep("b", 12), rep("c", 6), "d"),
  time_days = c(0, 30, 30, 30, 60, 91, 120, 120, 200, 365, 400, 730,       # a
                15, 30, 30, 60, 60, 150, 200, 200, 300, 500, 600, 730,     # b
                10, 30, 90, 200, 365, 700,                                 # c: all censored
                120),                                                      # d: one subject
  status    = c(1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1,
                0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1,
                0, 0, 0, 0, 0, 0,
                1))
edge$id <- seq_len(nrow(edge))
edge$patient_id <- sprintf("E%03d", c(1:20, 3, 5, 7, 9, 21:27))
edge$sex <- rep(c("f", "m"), length.out = nrow(edge))
edge$age_years <- round(((seq_len(nrow(edge)) * 11) %% 31) / 2 + 0.37, 2)   # scrambled, not monotone in id
edge$era <- rep(c("early", "late", "late"), length.out = nrow(edge))
w(edge[, c("id", "patient_id", "grp", "sex", "age_years", "era", "time_days", "status")], "cox_edge.csv")

# ------------------------------------------------------------------ heavy ties
set.seed(20240613)
nh <- 3000
arm <- sample(c("a", "b", "c"), nh, replace = TRUE, prob = c(0.5, 0.3, 0.2))
site <- sample(c("north", "south"), nh, replace = TRUE)
te <- rexp(nh, rate = 0.0008 * c(a = 1, b = 1.4, c = 0.7)[arm] * ifelse(site == "north", 1, 1.3))
tc <- runif(nh, 100, 2500)
th <- pmin(te, tc)
w(data.frame(id = seq_len(nh), arm = arm, site = site,
             time_days = as.integer(60 * ceiling(th / 60)), status = as.integer(te <= tc)),
  "cox_heavyties.csv")

# ------------------------------------------------------------------ public datasets
l <- survival::lung
w(data.frame(id = seq_len(nrow(l)), inst = l$inst, sex = as.character(l$sex),
             ph_ecog = as.character(l$ph.ecog), age = l$age, wt_loss = l$wt.loss,
             time_days = l$time, status = l$status - 1L), "cox_lung.csv")
v <- survival::veteran
w(data.frame(id = seq_len(nrow(v)), trt = as.character(v$trt), celltype = as.character(v$celltype),
             prior = as.character(v$prior), karno = v$karno, age = v$age,
             time_days = v$time, status = v$status), "cox_veteran.csv")
