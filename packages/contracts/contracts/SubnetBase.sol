// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ITesseraToken} from "./ITesseraToken.sol";
import {Layout, ValidatorState, Position, Permits, Units, KIND_VALIDATOR} from "./SubnetStorage.sol";
import {ISubnet, SubnetParams} from "./ISubnet.sol";

/// @title SubnetBase
/// @notice What every part of a Subnet shares: the constants and parameters (immutables, set and
/// checked once by the constructor), the one storage struct, the clock, and the guards and
/// accounting more than one part calls. Registration, staking, windows and views each build on it
/// in their own abstract contract; Subnet composes them.
abstract contract SubnetBase is ISubnet, ReentrancyGuard {
    // ---------------------------------------------------------------- constants

    /// @notice Fixed-point one of weights, consensus, incentive and dividends.
    uint256 public constant ONE = Units.ONE;
    /// @notice Fixed-point one of stored bonds (u16).
    uint256 public constant BOND_ONE = Units.BOND_ONE;
    /// @notice Fixed-point one of rewardPerStake.
    uint256 public constant REWARD_PRECISION = Units.REWARD_PRECISION;
    uint256 public constant BPS = Units.BPS;
    uint256 public constant MINER_SHARE_BPS = Units.MINER_SHARE_BPS;
    uint256 public constant VALIDATOR_SHARE_BPS = Units.VALIDATOR_SHARE_BPS;
    uint256 public constant MAX_VALIDATOR_PERMITS = Units.MAX_VALIDATOR_PERMITS;
    uint256 public constant MAX_SETTLEMENT_PAIRS = Units.MAX_SETTLEMENT_PAIRS;

    // ---------------------------------------------------------------- parameters (all readable through params())

    IERC20 public immutable token;
    address public immutable owner;
    uint64 internal immutable startBlock;
    uint32 internal immutable blocksPerWindow;
    uint32 internal immutable windowsPerEpoch;
    uint32 internal immutable deadlineGraceBlocks;
    uint16 internal immutable maxUids;
    uint16 internal immutable maxValidators;
    uint16 internal immutable maxValidatorPermits;
    uint32 internal immutable immunityPeriod;
    uint32 internal immutable weightsRateLimit;
    uint32 internal immutable stakeLockBlocks;
    uint16 internal immutable kappaBps;
    uint16 internal immutable bondsAlphaBps;
    uint16 internal immutable validatorTakeBps;
    uint16 internal immutable maxUriLength;
    uint256 internal immutable registrationBurn;
    uint256 internal immutable minValidatorStake;
    uint256 internal immutable emissionPerEpoch;
    /// @notice keccak256 of the canonical JSON of the run config this subnet trains (its
    /// hyperparameters: seed, model preset, compression, …; see core's hashRunConfig), which every
    /// miner and validator compares its own with at start. Zero when the deployer recorded none.
    bytes32 public immutable runConfigHash;

    // ---------------------------------------------------------------- state

    Layout internal $;

    // ---------------------------------------------------------------- construction

    /// @param token_ The reward token; its minter must be this contract's address.
    /// @param p The subnet's constants (see SubnetParams).
    /// @param runConfigHash_ The run config's hash (see runConfigHash); zero records none.
    constructor(address token_, SubnetParams memory p, bytes32 runConfigHash_) {
        address tokenMinter = ITesseraToken(token_).minter();
        if (tokenMinter != address(this)) revert Subnet__TokenMinterMismatch(token_, tokenMinter);
        if (p.owner == address(0)) revert Subnet__InvalidParameter("owner");
        if (p.blocksPerWindow == 0) revert Subnet__InvalidParameter("blocksPerWindow");
        if (p.windowsPerEpoch == 0) revert Subnet__InvalidParameter("windowsPerEpoch");
        if (p.deadlineGraceBlocks >= p.blocksPerWindow) revert Subnet__InvalidParameter("deadlineGraceBlocks");
        if (p.maxUids == 0 || p.maxUids > 4096) revert Subnet__InvalidParameter("maxUids");
        if (p.maxValidators == 0 || p.maxValidators > 256 || p.maxValidators > p.maxUids) {
            revert Subnet__InvalidParameter("maxValidators");
        }
        if (
            p.maxValidatorPermits == 0 || p.maxValidatorPermits > Units.MAX_VALIDATOR_PERMITS
                || p.maxValidatorPermits > p.maxValidators
        ) {
            revert Subnet__InvalidParameter("maxValidatorPermits");
        }
        if (uint256(p.maxValidatorPermits) * p.maxUids > Units.MAX_SETTLEMENT_PAIRS) {
            revert Subnet__InvalidParameter("maxValidatorPermits*maxUids");
        }
        if (p.kappaBps == 0 || p.kappaBps >= BPS) revert Subnet__InvalidParameter("kappaBps");
        if (p.bondsAlphaBps == 0 || p.bondsAlphaBps > BPS) revert Subnet__InvalidParameter("bondsAlphaBps");
        if (p.validatorTakeBps > BPS) revert Subnet__InvalidParameter("validatorTakeBps");
        if (p.maxUriLength == 0) revert Subnet__InvalidParameter("maxUriLength");
        if (p.minValidatorStake == 0) revert Subnet__InvalidParameter("minValidatorStake");
        if (p.emissionPerEpoch > type(uint96).max) revert Subnet__InvalidParameter("emissionPerEpoch");

        token = IERC20(token_);
        owner = p.owner;
        startBlock = p.startBlock == 0 ? uint64(block.number) : p.startBlock;
        blocksPerWindow = p.blocksPerWindow;
        windowsPerEpoch = p.windowsPerEpoch;
        deadlineGraceBlocks = p.deadlineGraceBlocks;
        maxUids = p.maxUids;
        maxValidators = p.maxValidators;
        maxValidatorPermits = p.maxValidatorPermits;
        immunityPeriod = p.immunityPeriod;
        weightsRateLimit = p.weightsRateLimit;
        stakeLockBlocks = p.stakeLockBlocks;
        kappaBps = p.kappaBps;
        bondsAlphaBps = p.bondsAlphaBps;
        validatorTakeBps = p.validatorTakeBps;
        maxUriLength = p.maxUriLength;
        registrationBurn = p.registrationBurn;
        minValidatorStake = p.minValidatorStake;
        emissionPerEpoch = p.emissionPerEpoch;
        runConfigHash = runConfigHash_;
    }

    // ---------------------------------------------------------------- clock

    /// @notice The window that `blockNumber` belongs to.
    function windowOf(uint256 blockNumber) public view returns (uint64) {
        if (blockNumber < startBlock) revert Subnet__NotStarted(startBlock);
        return uint64((blockNumber - startBlock) / blocksPerWindow);
    }

    /// @notice The window of the current block.
    function currentWindow() external view returns (uint64) {
        return windowOf(block.number);
    }

    /// @notice The epoch of the current block.
    function currentEpoch() external view returns (uint64) {
        return windowOf(block.number) / windowsPerEpoch;
    }

    /// @notice First block of `window`.
    function windowStartBlock(uint64 window) public view returns (uint256) {
        return uint256(startBlock) + uint256(window) * blocksPerWindow;
    }

    /// @notice First block at which commitments for `window` are refused.
    function deadline(uint64 window) public view returns (uint256) {
        return uint256(startBlock) + (uint256(window) + 1) * blocksPerWindow + deadlineGraceBlocks;
    }

    /// @notice First block of `epoch`.
    function epochStartBlock(uint64 epoch) public view returns (uint256) {
        return uint256(startBlock) + uint256(epoch) * windowsPerEpoch * blocksPerWindow;
    }

    /// @notice First block after `epoch`; settleEpoch(epoch) is accepted from this block on.
    function epochEndBlock(uint64 epoch) public view returns (uint256) {
        return uint256(startBlock) + (uint256(epoch) + 1) * windowsPerEpoch * blocksPerWindow;
    }

    // ---------------------------------------------------------------- guards and accounting shared by the parts

    function _requireUid(address account) internal view returns (uint16) {
        uint256 plusOne = $.uidOf[account];
        if (plusOne == 0) revert Subnet__NotRegistered(account);
        return uint16(plusOne - 1);
    }

    function _requirePermittedValidator(address account) internal view returns (uint16 uid) {
        uid = _requireUid(account);
        if ($.stats[uid].kind != KIND_VALIDATOR) revert Subnet__NotValidator(uid);
        if (!_hasPermit(uid)) revert Subnet__NoValidatorPermit(uid);
    }

    function _hasPermit(uint16 uid) internal view returns (bool) {
        return Permits.isPermitted($, uid, minValidatorStake, maxValidatorPermits);
    }

    /// Staking rewards accrued to a position since its last change. Floor of the accrual minus the
    /// ceiling taken at the last change, so the positions of a pool never take out more than went in.
    function _pending(ValidatorState storage v, Position storage p) internal view returns (uint256) {
        uint256 accrued = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION);
        uint256 debt = p.rewardDebt;
        if (accrued <= debt) return 0;
        uint256 pending = accrued - debt;
        uint256 outstanding = v.poolOutstanding;
        return pending < outstanding ? pending : outstanding;
    }

    // ---------------------------------------------------------------- provided by the parts

    /// Stakes `amount` of `account`'s tokens on `validatorUid` (SubnetStaking).
    function _addStake(uint16 validatorUid, address account, uint256 amount) internal virtual;

    /// Frees a validator's uid once its total stake is zero (SubnetRegistry).
    function _deregisterValidator(uint16 uid) internal virtual;
}
