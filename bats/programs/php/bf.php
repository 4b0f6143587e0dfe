<?php
// Does not parse.
$x = ;
