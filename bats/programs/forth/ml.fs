\ Allocates and fills 8 MiB blocks, never freeing one, until stopped.
: hog 512 0 do 8388608 allocate throw 8388608 1 fill loop ;
hog
