# Stops with an error nobody handles: exit status 1.
x <- scan(file("stdin"), what = integer(), quiet = TRUE)
stop("no way: ", x[1], " / 0")
