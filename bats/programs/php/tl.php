<?php
// Spins forever.
$n = 0;
while (true)
	$n++;
