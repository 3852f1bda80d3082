// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SubnetBase} from "./SubnetBase.sol";
import {SubnetRegistry} from "./SubnetRegistry.sol";
import {SubnetStaking} from "./SubnetStaking.sol";
import {SubnetWindows} from "./SubnetWindows.sol";
import {SubnetViews} from "./SubnetViews.sol";
import {SubnetParams} from "./ISubnet.sol";

/// @title Subnet
/// @notice The incentive layer of one Tessera subnet on an EVM chain.
///
/// Time: window(b) = (b - startBlock) / blocksPerWindow; epoch(w) = w / windowsPerEpoch;
/// deadline(w) = startBlock + (w + 1) * blocksPerWindow + deadlineGraceBlocks.
///
/// Weights (commit-reveal): during epoch c a permitted validator commits
/// keccak256(abi.encode(validator, c, uids, weights, salt)), snapshotting its stake; during epoch
/// c + 1 it reveals; settleEpoch(c) opens at the first block of epoch c + 2 and reads only what
/// was committed and revealed for c.
///
/// Settlement (Yuma-style, integer fixed point, every division rounds down; ONE = 1e9):
///   active validators A: revealed for c, the maxValidatorPermits largest stake snapshots among
///     them (ties: lower uid), with a non-zero sum of weights on registered miners (weights on
///     miners registered at or after the commit block are dropped); S_i the stake snapshot;
///   s_i  = S_i * ONE / sum(S)                       normalized stake
///   w_ij = W_ij * ONE / sum_j(W_ij)                 normalized weights
///   C_j  = max c in {w_ij} u {0} with sum(S_i : w_ij >= c) * 10000 > kappaBps * sum(S)
///   R_j  = sum_i s_i * min(w_ij, C_j)               rank (scale ONE^2)
///   dB_ij = s_i * min(w_ij, C_j) * ONE / R_j         bonds delta, column-normalized
///   E_ij = alphaBps * dB_ij * 65535 + (10000 - alphaBps) * B_ij * ONE,   B_ij the previous u16 bonds
///   B'_ij = E_ij * 65535 / sum_i(E_ij)              new u16 bonds, column-normalized
///   D_i  = sum_j B'_ij * R_j                        dividends
/// When sum(R) > 0 the epoch mints emissionPerEpoch: 41 % to miners by R_j, 41 % to validators by
/// D_i (take to the validator, the rest to its stakers pro rata), the remainder (18 % plus every
/// rounding remainder) to the owner. Otherwise nothing is minted. Minted = sum of all credits, exactly.
///
/// Composed from abstract parts that share one storage struct and the parameters:
/// SubnetBase (parameters, storage, clock, shared guards), SubnetRegistry (uids),
/// SubnetStaking (stake, delegation, claim), SubnetWindows (commitments, aggregates, checkpoints,
/// weights, settlement) and SubnetViews.
contract Subnet is SubnetRegistry, SubnetStaking, SubnetWindows, SubnetViews {
    /// @param token_ The reward token; its minter must be this contract's address.
    /// @param p The subnet's constants (see SubnetParams).
    /// @param runConfigHash_ keccak256 of the run config's canonical JSON; zero records none.
    constructor(address token_, SubnetParams memory p, bytes32 runConfigHash_)
        SubnetBase(token_, p, runConfigHash_)
    {}
}
