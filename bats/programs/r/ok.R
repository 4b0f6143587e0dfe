# Reads two integers, prints their sum.
x <- scan(file("stdin"), what = integer(), quiet = TRUE)
cat(x[1] + x[2], "\n", sep = "")
