<?php
// Keeps 1 MiB strings alive until memory runs out.
$keep = [];
while (true)
	$keep[] = str_repeat("x", 1 << 20) . count($keep);
