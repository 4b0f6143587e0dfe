# Prints the sum plus one: a wrong answer.
x <- scan(file("stdin"), what = integer(), quiet = TRUE)
cat(x[1] + x[2] + 1L, "\n", sep = "")
