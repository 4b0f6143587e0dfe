# Keeps distinct 1 MiB binaries alive until memory runs out.
defmodule Main do
  def main, do: grow([], 0)

  defp grow(keep, n) do
    b = :binary.copy(<<n::32>>, 262_144)
    grow([b | keep], n + 1)
  end
end
