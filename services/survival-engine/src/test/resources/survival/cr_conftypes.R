#!/usr/bin/env Rscript
# cr_conftypes.R -- Aalen-Johansen confidence limits for the conf.type values reference_cr.R does
# not print (reference_cr.R uses survfit's default, "log"): "log-log" and "plain", at 90% and 95%.
# Usage: Rscript cr_conftypes.R INPUT.csv [--out=FILE.json]   (columns time_days, status)
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
input <- args[!startsWith(args, "--")][1]
out <- sub("^--out=", "", c(args[startsWith(args, "--out=")], "--out=")[1])
d <- read.csv(input)
causes <- sort(setdiff(unique(d$status), 0))
d$ev <- factor(d$status, levels = c(0, causes), labels = c("censor", paste0("cause", causes)))
fits <- list()
for (ct in c("log-log", "plain")) for (lev in c(0.9, 0.95)) {
  f <- survfit(Surv(time_days, ev) ~ 1, data = d, conf.type = ct, conf.int = lev)
  fits[[length(fits) + 1]] <- list(conf_type = ct, level = lev, causes = lapply(seq_along(causes), function(k) {
    j <- which(f$states == paste0("cause", causes[k]))
    list(cause = causes[k], curve = data.frame(time = f$time, cif = f$pstate[, j], std_err = f$std.err[, j],
                                               lower = f$lower[, j], upper = f$upper[, j]))
  }))
}
res <- list(meta = list(R = R.version.string, survival = as.character(packageVersion("survival")),
                        input = basename(input)), fits = fits)
txt <- toJSON(res, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE)
if (nzchar(out)) writeLines(txt, out) else cat(txt, "\n")
