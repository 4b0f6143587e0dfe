<?php
// Prints the sum plus one: a wrong answer.
[$a, $b] = array_map("intval", preg_split("/\\s+/", trim(fgets(STDIN))));
echo $a + $b + 1, "\n";
