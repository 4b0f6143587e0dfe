<?php
// Throws at run time (exit 255).
throw new Exception("no way");
