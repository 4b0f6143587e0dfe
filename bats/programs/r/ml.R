# Keeps distinct 8 MiB vectors alive until memory runs out.
keep <- list()
for (i in 1:512) keep[[i]] <- rep(i, 1048576)
cat(length(keep), "\n")
