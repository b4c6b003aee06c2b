#!/usr/bin/env Rscript
# time_r.R -- R's time for the work RefreshBenchmark measures, on the same CSVs (written by BenchmarkMain):
# for EFS and OS, survfit overall, and for each factor column (f1..f19: analytics-service's groupings) survfit by
# factor, survdiff and coxph (Efron). Data are read before timing; each size is repeated until about 2 s have elapsed.
# Usage: Rscript time_r.R OUT.csv data_1000.csv data_10000.csv ...
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
rows <- list()
for (file in args[-1]) {
  d <- read.csv(file)
  work <- function() {
    for (ep in c("efs", "os")) {
      y <- Surv(d[[paste0(ep, "_days")]], d[[paste0(ep, "_status")]])
      survfit(y ~ 1)
      for (f in grep("^f[0-9]+$", names(d), value = TRUE)) {
        g <- factor(d[[f]])
        survfit(y ~ g)
        survdiff(y ~ g)
        coxph(y ~ g)
      }
    }
  }
  reps <- 0; elapsed <- 0
  while (elapsed < 2 || reps < 1) {
    elapsed <- elapsed + system.time(work())[["elapsed"]]
    reps <- reps + 1
  }
  rows[[length(rows) + 1]] <- data.frame(episodes = nrow(d), reps = reps, seconds = elapsed / reps)
  cat(sprintf("R: %d episodes, %d runs, %.4f s per run\n", nrow(d), reps, elapsed / reps))
}
res <- do.call(rbind, rows)
writeLines(c(paste("#", R.version.string, "survival", as.character(packageVersion("survival"))),
             "episodes,reps,seconds", paste(res$episodes, res$reps, res$seconds, sep = ",")), out)
