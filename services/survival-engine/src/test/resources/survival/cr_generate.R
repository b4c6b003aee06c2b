#!/usr/bin/env Rscript
# cr_generate.R -- writes the competing-risks fixture datasets next to this script (seeded):
#   cr_registry.csv  registry-shaped: status 0 censored, 1 relapse/progression, 2 death without
#                    relapse; a 3-level group (risk); follow-up mostly at monthly visits (ties,
#                    including ties between causes and with censorings)
#   cr_edge.csv      hand-made: events at day 0, both causes and censorings on the same day,
#                    a group without competing events, the last follow-up an event for all left
# Usage: Rscript cr_generate.R [OUTDIR]
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) > 0) args[1] else "."
w <- function(d, f) write.csv(d, file.path(outdir, f), row.names = FALSE, quote = FALSE, na = "")

set.seed(20240612)
n <- 420
risk <- sample(c("low", "intermediate", "high"), n, replace = TRUE, prob = c(0.35, 0.25, 0.40))
mult <- c(low = 1, intermediate = 1.6, high = 2.6)[risk]
t1 <- rexp(n, rate = 0.00045 * mult)                 # relapse
t2 <- rexp(n, rate = 0.00012 * sqrt(mult))           # death without relapse
tc <- pmin(runif(n, 60, 2400), 1826)
t <- pmin(t1, t2, tc)
status <- ifelse(t == tc, 0L, ifelse(t == t1, 1L, 2L))
td <- ifelse(runif(n) < 0.8, 30 * ceiling(t / 30), ceiling(t))
w(data.frame(id = seq_len(n), risk = risk, time_days = as.integer(td), status = status),
  "cr_registry.csv")

edge <- data.frame(
  grp       = c(rep("a", 10), rep("b", 10), rep("c", 6)),
  time_days = c(0, 0, 30, 30, 30, 60, 90, 90, 120, 200,
                0, 30, 30, 45, 60, 60, 90, 150, 200, 200,
                30, 60, 60, 90, 120, 200),
  status    = c(1, 2, 1, 2, 0, 1, 0, 2, 1, 1,
                0, 2, 1, 1, 0, 2, 1, 0, 1, 2,
                1, 1, 0, 1, 0, 1))                    # group c: no competing (2) events
edge$id <- seq_len(nrow(edge))
w(edge[, c("id", "grp", "time_days", "status")], "cr_edge.csv")
