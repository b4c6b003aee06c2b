# Prints R's pchisq(upper), pnorm(upper) and qnorm at 17 significant digits for DistributionsTest.
# Regenerate: Rscript distributions_r.R > distributions_r.txt
f <- function(v) sprintf("%.17g", v)
cat("# ", R.version.string, "\n", sep = "")
cat("# chisq x df p\n")
for (df in c(1, 2, 3, 4, 5, 7, 10, 17, 30)) for (x in c(1e-8, 0.001, 0.1, 0.5, 1, 2.5, 3.841458820694124, 5, 10, 20,
                                                   50, 100, 200, 400, 700, 900, 1200, 1380)) {
  p <- pchisq(x, df, lower.tail = FALSE)
  if (p >= 1e-300) cat("chisq", f(x), df, f(p), "\n")
}
cat("# norm z p\n")
for (z in c(-8, -3, -1.96, -1, -0.3, 0, 1e-9, 0.1, 0.5, 1, 1.2, 1.49, 1.5, 1.51, 1.96, 2, 2.5, 3, 4, 5, 6, 8, 10,
            15, 20, 25, 30, 35, 37)) cat("norm", f(z), f(pnorm(z, lower.tail = FALSE)), "\n")
cat("# qnorm p z\n")
for (p in c(1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45,
            0.49, 0.5, 0.51, 0.6, 0.75, 0.9, 0.975, 0.99, 0.999999)) cat("qnorm", f(p), f(qnorm(p)), "\n")
