# Does not parse.
{ print $1 + }
