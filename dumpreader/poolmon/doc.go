// Package poolmon reads PoolMon's display of kernel pool usage by tag, as
// pasted from its console or written by poolmon -n:
//
//	Memory:16643244K Avail:10390956K  PageFlts:  2450   InRam Krnl:11064K P:417456K
//	Commit:7398516K Limit:19132332K Peak:7697296K            Pool N:294336K P:459092K
//	System pool information
//	Tag  Type     Allocs            Frees            Diff   Bytes       Per Alloc    Mapped_Driver
//
//	ConT Nonp      4346 (   0)      4275 (   0)      71  17698816 (     0) 249279 [dxgkrnl.sys - Unknown]
//	CM   Paged     1283 (   0)      1002 (   0)     281   1377312 (     0)   4901
//
// A row is a tag, its pool (Nonp or Paged), its allocations and frees
// (each with the change since the last refresh in parentheses), the
// outstanding allocations (Diff, always Allocs minus Frees, which tells a
// row from prose), the bytes they hold and the bytes per allocation, then
// what poolmon -g maps the tag to. A tag shown in both pools is one tag
// of the snapshot with both figures. The header's "Pool N:" and "P:" are
// the pools' totals in KB, of which a tag's share is taken.
package poolmon
