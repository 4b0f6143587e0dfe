# Allocates and touches 8 MiB blocks, keeping every one, until stopped.
keep = [] of Bytes
512.times do |i|
  keep << Bytes.new(8 << 20, (i % 256).to_u8)
end
puts keep.size
