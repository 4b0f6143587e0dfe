# Does not parse: bash -n refuses it.
if then fi
