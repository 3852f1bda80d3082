// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITesseraToken} from "./ITesseraToken.sol";
import {SubnetSettlement} from "./SubnetSettlement.sol";
import {
    Layout,
    Neuron,
    NeuronStats,
    ValidatorState,
    Position,
    StoredCommitment,
    StoredAggregate,
    WeightCommit,
    BondsMeta,
    Permits,
    Units,
    KIND_NONE,
    KIND_MINER,
    KIND_VALIDATOR
} from "./SubnetStorage.sol";
import {
    ISubnet,
    SubnetParams,
    NeuronView,
    CommitmentView,
    AggregateView,
    CheckpointView,
    EpochRecord,
    PositionView,
    WeightCommitView,
    RevealedWeightsView
} from "./ISubnet.sol";

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
contract Subnet is ISubnet, ReentrancyGuard {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

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

    // ---------------------------------------------------------------- state

    Layout internal $;

    // ---------------------------------------------------------------- construction

    /// @param token_ The reward token; its minter must be this contract's address.
    /// @param p The subnet's constants (see SubnetParams).
    constructor(address token_, SubnetParams memory p) {
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
    }

    // ---------------------------------------------------------------- registration

    /// @inheritdoc ISubnet
    function registerMiner() external payable returns (uint16 uid) {
        if (msg.value != registrationBurn) revert Subnet__WrongBurn(msg.value, registrationBurn);
        _requireUnregistered(msg.sender);
        uid = _allocateUid();
        _register(uid, msg.sender, KIND_MINER);
        $.totalBurned += msg.value;
        emit Registered(uid, msg.sender, false, msg.value);
    }

    /// @inheritdoc ISubnet
    function registerValidator(uint256 amount) external nonReentrant returns (uint16 uid) {
        _requireUnregistered(msg.sender);
        if (amount < minValidatorStake) revert Subnet__StakeTooLow(amount, minValidatorStake);
        if ($.validatorUids.length >= maxValidators) revert Subnet__ValidatorSetFull(maxValidators);
        uid = _allocateUid();
        _register(uid, msg.sender, KIND_VALIDATOR);
        $.validators[uid].listIndex = uint16($.validatorUids.length);
        $.validatorUids.push(uid);
        emit Registered(uid, msg.sender, true, 0);
        _addStake(uid, msg.sender, amount);
    }

    /// @inheritdoc ISubnet
    function stake(uint16 validatorUid, uint256 amount) external nonReentrant {
        _requireValidatorUid(validatorUid);
        _addStake(validatorUid, msg.sender, amount);
    }

    /// @inheritdoc ISubnet
    function unstake(uint16 validatorUid, uint256 amount) external nonReentrant {
        _requireValidatorUid(validatorUid);
        if (amount == 0) revert Subnet__ZeroAmount();
        ValidatorState storage v = $.validators[validatorUid];
        Position storage p = $.positions[validatorUid][msg.sender];
        if (p.stake < amount) revert Subnet__InsufficientStake(p.stake, amount);
        if (block.number < p.unlockBlock) revert Subnet__StakeLocked(p.unlockBlock);

        _harvestToClaimable(validatorUid, v, p, msg.sender);
        p.stake -= amount;
        v.stake -= amount;
        $.totalStaked -= amount;
        p.rewardDebt = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION, Math.Rounding.Ceil);
        uint256 positionStake = p.stake;
        uint256 validatorStake = v.stake;
        if (positionStake == 0) _removePosition(validatorUid, msg.sender);
        emit Unstaked(validatorUid, msg.sender, amount, positionStake, validatorStake);
        if (validatorStake == 0) _deregisterValidator(validatorUid);

        token.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- windows

    /// @inheritdoc ISubnet
    function commit(uint64 window, bytes32 digest, string calldata uri, bytes32 modelHash) external {
        uint16 uid = _requireUid(msg.sender);
        if ($.stats[uid].kind != KIND_MINER) revert Subnet__NotMiner(uid);
        uint256 opens = windowStartBlock(window);
        if (block.number < opens) revert Subnet__WindowNotStarted(window, opens);
        uint256 closes = deadline(window);
        if (block.number >= closes) revert Subnet__LateCommit(window, closes);
        _checkUri(uri, false);
        StoredCommitment storage c = $.commitments[window][uid];
        if (c.blockNumber != 0) revert Subnet__AlreadyCommitted(window, uid);

        c.digest = digest;
        c.modelHash = modelHash;
        c.hotkey = msg.sender;
        c.blockNumber = uint64(block.number);
        c.uri = uri;
        $.committedUids[window].push(uid);
        emit Committed(window, uid, msg.sender, digest, modelHash, uri);
    }

    /// @inheritdoc ISubnet
    /// @dev Allowed from deadline(window) on, once per validator and window. `uids` must be strictly
    /// ascending and every uid must have committed for `window`. An empty set is allowed.
    /// `normBound` must be the bits of a positive finite float32.
    function publishAggregate(
        uint64 window,
        uint16[] calldata uids,
        bytes32 aggregateHash,
        uint32 normBound,
        string calldata uri
    ) external {
        uint16 validatorUid = _requirePermittedValidator(msg.sender);
        uint256 closes = deadline(window);
        if (block.number < closes) revert Subnet__AggregateTooEarly(window, closes);
        // Zero, a negative sign, or an all-ones exponent (infinity, NaN) are not a clipping norm.
        if (normBound == 0 || normBound >= 0x7f800000) revert Subnet__BadNormBound(normBound);
        _checkUri(uri, true);
        if (uids.length > maxUids) revert Subnet__TooManyUids(uids.length, maxUids);
        for (uint256 k; k < uids.length; ++k) {
            uint16 uid = uids[k];
            if (k > 0 && uid <= uids[k - 1]) {
                if (uid == uids[k - 1]) revert Subnet__DuplicateUid(uid);
                revert Subnet__UidsNotAscending(uids[k - 1], uid);
            }
            if ($.commitments[window][uid].blockNumber == 0) revert Subnet__NoCommitment(window, uid);
        }
        StoredAggregate storage a = $.aggregates[window][msg.sender];
        if (a.blockNumber != 0) revert Subnet__AlreadyPublished(window, msg.sender);

        a.aggregateHash = aggregateHash;
        a.validator = msg.sender;
        a.validatorUid = validatorUid;
        a.blockNumber = uint40(block.number);
        a.normBound = normBound;
        a.uids = uids;
        a.uri = uri;
        $.aggregatePublishers[window].push(msg.sender);
        emit AggregatePublished(window, validatorUid, msg.sender, aggregateHash, normBound, uids, uri);
    }

    /// @inheritdoc ISubnet
    /// @dev `window` may not lie in the future. The latest checkpoint is the one with the highest
    /// window; among equal windows, the last published.
    function publishCheckpoint(uint64 window, bytes32 modelHash, string calldata uri) external {
        uint16 validatorUid = _requirePermittedValidator(msg.sender);
        uint256 opens = windowStartBlock(window);
        if (block.number < opens) revert Subnet__WindowNotStarted(window, opens);
        _checkUri(uri, false);
        if ($.latestCheckpoint.blockNumber == 0 || window >= $.latestCheckpoint.window) {
            $.latestCheckpoint = CheckpointView({
                window: window,
                validator: msg.sender,
                validatorUid: validatorUid,
                modelHash: modelHash,
                uri: uri,
                blockNumber: uint64(block.number)
            });
        }
        emit CheckpointPublished(window, validatorUid, msg.sender, modelHash, uri);
    }

    // ---------------------------------------------------------------- weights

    /// @inheritdoc ISubnet
    /// @dev At most once per weightsRateLimit blocks. The commit is for the current epoch and
    /// replaces an earlier commit of this epoch; none of this epoch can have been revealed yet.
    function commitWeights(bytes32 hash) external {
        uint16 uid = _requirePermittedValidator(msg.sender);
        ValidatorState storage v = $.validators[uid];
        if (v.commitBlock != 0 && block.number < uint256(v.commitBlock) + weightsRateLimit) {
            revert Subnet__WeightsRateLimited(uint64(v.commitBlock) + weightsRateLimit);
        }
        uint64 epoch = windowOf(block.number) / windowsPerEpoch;
        uint128 stakeNow = v.stake.toUint128();
        $.weightCommits[epoch][uid] = WeightCommit({
            hash: hash,
            hotkey: msg.sender,
            commitBlock: uint40(block.number),
            registrationBlock: $.neurons[uid].registrationBlock,
            stake: stakeNow,
            revealBlock: 0
        });
        v.commitBlock = uint40(block.number);
        emit WeightsCommitted(epoch, uid, msg.sender, hash, stakeNow);
    }

    /// @inheritdoc ISubnet
    /// @dev By the registration that committed, which needs no permit any more. `uids` and
    /// `weights` exactly as hashed: equal lengths, uids below uidCount, no duplicates. Entries
    /// on uids that are not miners registered before the commit are kept here and dropped by
    /// settlement, so a uid that changed hands since the commit never makes a reveal impossible.
    function revealWeights(uint64 epoch, uint16[] calldata uids, uint16[] calldata weights, bytes32 salt)
        external
    {
        uint16 uid = _requireUid(msg.sender);
        uint64 current = windowOf(block.number) / windowsPerEpoch;
        if (current <= epoch) revert Subnet__RevealTooEarly(epoch, epochEndBlock(epoch));
        if (current > epoch + 1) revert Subnet__RevealTooLate(epoch, epochEndBlock(epoch + 1));
        WeightCommit storage c = $.weightCommits[epoch][uid];
        if (c.hotkey != msg.sender || c.registrationBlock != $.neurons[uid].registrationBlock) {
            revert Subnet__NoWeightsCommit(epoch, uid);
        }
        if (c.revealBlock != 0) revert Subnet__WeightsAlreadyRevealed(epoch, uid);
        bytes32 revealed = keccak256(abi.encode(msg.sender, epoch, uids, weights, salt));
        if (revealed != c.hash) revert Subnet__RevealMismatch(epoch, c.hash, revealed);
        if (uids.length != weights.length) revert Subnet__LengthMismatch(uids.length, weights.length);
        uint256 n = $.uidCount;
        if (uids.length > n) revert Subnet__TooManyUids(uids.length, n);

        uint256[] memory words = new uint256[]((n + 15) / 16);
        uint256[] memory seen = new uint256[]((n + 255) / 256);
        for (uint256 k; k < uids.length; ++k) {
            uint256 target = uids[k];
            if (target >= n) revert Subnet__UidNotRegistered(uint16(target));
            uint256 bit = 1 << (target % 256);
            if (seen[target / 256] & bit != 0) revert Subnet__DuplicateUid(uint16(target));
            seen[target / 256] |= bit;
            words[target / 16] |= uint256(weights[k]) << ((target % 16) * 16);
        }
        mapping(uint256 => uint256) storage row = $.revealedWords[epoch][uid];
        for (uint256 w; w < words.length; ++w) {
            if (words[w] != 0) row[w] = words[w];
        }
        c.revealBlock = uint40(block.number);
        $.revealedUids[epoch].push(uid);
        emit WeightsRevealed(epoch, uid, msg.sender, uids, weights);
    }

    // ---------------------------------------------------------------- settlement

    /// @inheritdoc ISubnet
    /// @dev The work runs in the linked SubnetSettlement library, on this contract's storage.
    /// Opens at epochEndBlock(epoch + 1), once every reveal for `epoch` is in.
    function settleEpoch(uint64 epoch) external nonReentrant {
        uint64 expected = $.nextEpoch;
        if (epoch < expected) revert Subnet__EpochAlreadySettled(epoch);
        if (epoch > expected) revert Subnet__EpochOutOfOrder(epoch, expected);
        uint256 opens = epochEndBlock(epoch + 1);
        if (block.number < opens) revert Subnet__SettlementTooEarly(epoch, opens);
        SubnetSettlement.settle(
            $,
            SubnetSettlement.Config({
                token: address(token),
                owner: owner,
                maxValidatorPermits: maxValidatorPermits,
                kappaBps: kappaBps,
                bondsAlphaBps: bondsAlphaBps,
                validatorTakeBps: validatorTakeBps,
                emissionPerEpoch: emissionPerEpoch
            }),
            epoch
        );
    }

    // ---------------------------------------------------------------- claim

    /// @inheritdoc ISubnet
    /// @dev Pays the account's claimable balance, its uid's unclaimed rewards and every staking
    /// reward accrued on its positions, in one transfer. Reverts when all of them are zero.
    function claim() external nonReentrant returns (uint256 amount) {
        amount = $.claimable[msg.sender];
        if (amount > 0) $.claimable[msg.sender] = 0;
        uint256 uidPlusOne = $.uidOf[msg.sender];
        if (uidPlusOne != 0) {
            NeuronStats storage st = $.stats[uidPlusOne - 1];
            amount += st.unclaimed;
            st.unclaimed = 0;
        }
        uint16[] storage list = $.positionsOf[msg.sender];
        for (uint256 k; k < list.length; ++k) {
            uint16 validatorUid = list[k];
            ValidatorState storage v = $.validators[validatorUid];
            Position storage p = $.positions[validatorUid][msg.sender];
            uint256 pending = _harvest(v, p);
            if (pending > 0) emit StakeRewardsHarvested(validatorUid, msg.sender, pending);
            amount += pending;
        }
        if (amount == 0) revert Subnet__NothingToClaim(msg.sender);
        $.totalClaimed += amount;
        token.safeTransfer(msg.sender, amount);
        emit Claimed(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views: totals

    /// @notice Number of uids ever allocated (freed uids are reused first).
    function uidCount() external view returns (uint16) {
        return $.uidCount;
    }

    /// @notice The epoch settleEpoch accepts next.
    function nextEpoch() external view returns (uint64) {
        return $.nextEpoch;
    }

    /// @notice Reward tokens minted by settlements.
    function totalMinted() external view returns (uint256) {
        return $.totalMinted;
    }

    /// @notice Reward tokens paid out by claim.
    function totalClaimed() external view returns (uint256) {
        return $.totalClaimed;
    }

    /// @notice Tokens staked on validators, held by this contract.
    function totalStaked() external view returns (uint256) {
        return $.totalStaked;
    }

    /// @notice Native wei burned by miner registrations (held here, with no way out).
    function totalBurned() external view returns (uint256) {
        return $.totalBurned;
    }

    /// @notice Rewards credited to `account` outside any uid: the owner share, harvested staking
    /// rewards, balances of pruned or deregistered uids.
    function claimable(address account) external view returns (uint256) {
        return $.claimable[account];
    }

    // ---------------------------------------------------------------- views: time

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

    /// @notice The constants the subnet was deployed with (startBlock resolved).
    function params() external view returns (SubnetParams memory p) {
        p.owner = owner;
        p.startBlock = startBlock;
        p.blocksPerWindow = blocksPerWindow;
        p.windowsPerEpoch = windowsPerEpoch;
        p.deadlineGraceBlocks = deadlineGraceBlocks;
        p.maxUids = maxUids;
        p.maxValidators = maxValidators;
        p.maxValidatorPermits = maxValidatorPermits;
        p.immunityPeriod = immunityPeriod;
        p.weightsRateLimit = weightsRateLimit;
        p.stakeLockBlocks = stakeLockBlocks;
        p.kappaBps = kappaBps;
        p.bondsAlphaBps = bondsAlphaBps;
        p.validatorTakeBps = validatorTakeBps;
        p.maxUriLength = maxUriLength;
        p.registrationBurn = registrationBurn;
        p.minValidatorStake = minValidatorStake;
        p.emissionPerEpoch = emissionPerEpoch;
    }

    // ---------------------------------------------------------------- views: neurons

    /// @notice The uid of `hotkey`, if registered.
    function uidOf(address hotkey) external view returns (bool registered, uint16 uid) {
        uint256 plusOne = $.uidOf[hotkey];
        if (plusOne == 0) return (false, 0);
        return (true, uint16(plusOne - 1));
    }

    /// @notice One neuron; reverts for a uid nobody holds.
    function neuron(uint16 uid) external view returns (NeuronView memory) {
        if (uid >= $.uidCount || $.stats[uid].kind == KIND_NONE) revert Subnet__UidNotRegistered(uid);
        return _neuronView(uid);
    }

    /// @notice Every registered neuron, ascending by uid.
    function metagraph() external view returns (NeuronView[] memory neurons) {
        uint256 n = $.uidCount;
        uint256 count;
        for (uint256 j; j < n; ++j) {
            if ($.stats[j].kind != KIND_NONE) ++count;
        }
        neurons = new NeuronView[](count);
        uint256 at;
        for (uint256 j; j < n; ++j) {
            if ($.stats[j].kind == KIND_NONE) continue;
            neurons[at++] = _neuronView(uint16(j));
        }
    }

    /// @notice Validator uids in registration order (swap-removed on deregistration).
    function validatorUids() external view returns (uint16[] memory) {
        return $.validatorUids;
    }

    /// @notice Whether `uid` is a validator that may set weights and publish now.
    function hasValidatorPermit(uint16 uid) external view returns (bool) {
        if (uid >= $.uidCount || $.stats[uid].kind != KIND_VALIDATOR) return false;
        return _hasPermit(uid);
    }

    /// @notice The weight commit of `validatorUid` for `epoch` (all zero when there is none).
    function weightCommit(uint64 epoch, uint16 validatorUid) external view returns (WeightCommitView memory) {
        WeightCommit storage c = $.weightCommits[epoch][validatorUid];
        return WeightCommitView({
            hash: c.hash,
            hotkey: c.hotkey,
            stake: c.stake,
            registrationBlock: c.registrationBlock,
            commitBlock: c.commitBlock,
            revealBlock: c.revealBlock
        });
    }

    /// @notice Every reveal for `epoch`, in reveal order, with its stake snapshot and the revealed
    /// non-zero weights ascending by uid (settlement's input, before masking).
    function revealedWeights(uint64 epoch) external view returns (RevealedWeightsView[] memory list) {
        uint16[] storage revealed = $.revealedUids[epoch];
        uint256 n = $.uidCount;
        list = new RevealedWeightsView[](revealed.length);
        for (uint256 r; r < revealed.length; ++r) {
            uint16 validatorUid = revealed[r];
            WeightCommit storage c = $.weightCommits[epoch][validatorUid];
            mapping(uint256 => uint256) storage row = $.revealedWords[epoch][validatorUid];
            uint256 count;
            for (uint256 j; j < n; ++j) {
                if ((row[j / 16] >> ((j % 16) * 16)) & 0xffff != 0) ++count;
            }
            RevealedWeightsView memory item = list[r];
            item.uid = validatorUid;
            item.hotkey = c.hotkey;
            item.stake = c.stake;
            item.registrationBlock = c.registrationBlock;
            item.commitBlock = c.commitBlock;
            item.revealBlock = c.revealBlock;
            item.uids = new uint16[](count);
            item.weights = new uint16[](count);
            uint256 at;
            for (uint256 j; j < n; ++j) {
                uint256 w = (row[j / 16] >> ((j % 16) * 16)) & 0xffff;
                if (w == 0) continue;
                item.uids[at] = uint16(j);
                item.weights[at] = uint16(w);
                ++at;
            }
        }
    }

    /// @notice Stored bonds of `validatorUid` towards every uid (u16, column-normalized to 65535),
    /// `stamp` = 1 + the epoch whose settlement wrote them (0 = never), and the registration they
    /// belong to (hotkey and registration block).
    function bondsOf(uint16 validatorUid)
        external
        view
        returns (uint16[] memory bonds, uint32 stamp, address hotkey, uint64 registrationBlock)
    {
        uint256 n = $.uidCount;
        bonds = new uint16[](n);
        for (uint256 j; j < n; ++j) {
            bonds[j] = uint16(($.bondWords[validatorUid][j / 16] >> ((j % 16) * 16)) & 0xffff);
        }
        BondsMeta storage meta = $.bondsMeta[validatorUid];
        return (bonds, meta.stamp, meta.hotkey, meta.registrationBlock);
    }

    /// @notice A validator's staking pool.
    function validatorPool(uint16 validatorUid)
        external
        view
        returns (uint256 totalStake, uint256 rewardPerStake, uint256 poolOutstanding)
    {
        ValidatorState storage v = $.validators[validatorUid];
        return (v.stake, v.rewardPerStake, v.poolOutstanding);
    }

    // ---------------------------------------------------------------- views: stake and rewards

    /// @notice `account`'s stake on `validatorUid`.
    function positionOf(uint16 validatorUid, address account) public view returns (PositionView memory) {
        Position storage p = $.positions[validatorUid][account];
        return PositionView({
            validatorUid: validatorUid,
            stake: p.stake,
            pending: _pending($.validators[validatorUid], p),
            unlockBlock: p.unlockBlock
        });
    }

    /// @notice Every position of `account`.
    function positionsOf(address account) external view returns (PositionView[] memory positions) {
        uint16[] storage list = $.positionsOf[account];
        positions = new PositionView[](list.length);
        for (uint256 k; k < list.length; ++k) {
            positions[k] = positionOf(list[k], account);
        }
    }

    /// @notice What claim() would pay `account` now.
    function pendingRewards(address account) external view returns (uint256 amount) {
        amount = $.claimable[account];
        uint256 uidPlusOne = $.uidOf[account];
        if (uidPlusOne != 0) amount += $.stats[uidPlusOne - 1].unclaimed;
        uint16[] storage list = $.positionsOf[account];
        for (uint256 k; k < list.length; ++k) {
            amount += _pending($.validators[list[k]], $.positions[list[k]][account]);
        }
    }

    /// @notice What the settlement of `epoch` recorded (zeros before it is settled).
    function epochRecord(uint64 epoch) external view returns (EpochRecord memory) {
        return $.epochs[epoch];
    }

    // ---------------------------------------------------------------- views: windows

    /// @notice Every commitment for `window`, in commit order.
    function getCommitments(uint64 window) external view returns (CommitmentView[] memory list) {
        uint16[] storage uids = $.committedUids[window];
        list = new CommitmentView[](uids.length);
        for (uint256 k; k < uids.length; ++k) {
            list[k] = _commitmentView(window, uids[k]);
        }
    }

    /// @notice The commitment of `uid` for `window`, if any.
    function getCommitment(uint64 window, uint16 uid) external view returns (bool found, CommitmentView memory c) {
        found = $.commitments[window][uid].blockNumber != 0;
        if (found) c = _commitmentView(window, uid);
    }

    /// @notice Every aggregate published for `window`, in publication order.
    function getAggregates(uint64 window) external view returns (AggregateView[] memory list) {
        address[] storage publishers = $.aggregatePublishers[window];
        list = new AggregateView[](publishers.length);
        for (uint256 k; k < publishers.length; ++k) {
            list[k] = _aggregateView(window, publishers[k]);
        }
    }

    /// @notice The aggregate of `window` to follow: the one whose publisher has the most stake now
    /// (publishers no longer registered as validators count as zero; ties go to the earliest).
    function getAggregate(uint64 window) external view returns (bool found, AggregateView memory a) {
        address[] storage publishers = $.aggregatePublishers[window];
        if (publishers.length == 0) return (false, a);
        uint256 best;
        uint256 bestStake;
        for (uint256 k; k < publishers.length; ++k) {
            uint256 stakeNow = _validatorStakeOf(publishers[k]);
            if (k == 0 || stakeNow > bestStake) {
                best = k;
                bestStake = stakeNow;
            }
        }
        return (true, _aggregateView(window, publishers[best]));
    }

    /// @notice The newest checkpoint, if any.
    function latestCheckpoint() external view returns (bool found, CheckpointView memory checkpoint) {
        found = $.latestCheckpoint.blockNumber != 0;
        checkpoint = $.latestCheckpoint;
    }

    // ---------------------------------------------------------------- internals: registration

    function _requireUnregistered(address hotkey) internal view {
        uint256 plusOne = $.uidOf[hotkey];
        if (plusOne != 0) revert Subnet__AlreadyRegistered(hotkey, uint16(plusOne - 1));
    }

    function _requireUid(address account) internal view returns (uint16) {
        uint256 plusOne = $.uidOf[account];
        if (plusOne == 0) revert Subnet__NotRegistered(account);
        return uint16(plusOne - 1);
    }

    function _requireValidatorUid(uint16 uid) internal view {
        if (uid >= $.uidCount || $.stats[uid].kind != KIND_VALIDATOR) revert Subnet__NotValidator(uid);
    }

    function _requirePermittedValidator(address account) internal view returns (uint16 uid) {
        uid = _requireUid(account);
        if ($.stats[uid].kind != KIND_VALIDATOR) revert Subnet__NotValidator(uid);
        if (!_hasPermit(uid)) revert Subnet__NoValidatorPermit(uid);
    }

    /// A free uid: a released one, a new one, or the pruned weakest miner's.
    function _allocateUid() internal returns (uint16 uid) {
        uint256 free = $.freeUids.length;
        if (free > 0) {
            uid = $.freeUids[free - 1];
            $.freeUids.pop();
            return uid;
        }
        if ($.uidCount < maxUids) return $.uidCount++;
        return _pruneWeakestMiner();
    }

    /// Prunes the non-immune miner with the lowest incentive of the last settled epoch
    /// (ties: the earliest registered, then the lowest uid). Refused while an epoch whose reveals
    /// are over waits for settlement: a uid that changes hands then would change what it pays.
    function _pruneWeakestMiner() internal returns (uint16) {
        uint64 unsettled = $.nextEpoch;
        if (block.number >= epochEndBlock(unsettled + 1)) revert Subnet__SettlementPending(unsettled);
        uint256 n = $.uidCount;
        bool found;
        uint256 best;
        uint256 bestIncentive;
        uint256 bestBlock;
        for (uint256 j; j < n; ++j) {
            NeuronStats storage st = $.stats[j];
            if (st.kind != KIND_MINER) continue;
            uint256 incentive = st.incentive;
            if (found && incentive > bestIncentive) continue;
            uint256 registered = $.neurons[j].registrationBlock;
            if (block.number < registered + immunityPeriod) continue;
            if (found && incentive == bestIncentive && registered >= bestBlock) continue;
            found = true;
            best = j;
            bestIncentive = incentive;
            bestBlock = registered;
        }
        if (!found) revert Subnet__SubnetFull(maxUids);
        address hotkey = $.neurons[best].hotkey;
        _releaseUnclaimed(best, hotkey);
        delete $.uidOf[hotkey];
        emit Pruned(uint16(best), hotkey, uint32(bestIncentive));
        return uint16(best);
    }

    function _register(uint16 uid, address hotkey, uint8 kind) internal {
        $.neurons[uid] = Neuron({
            hotkey: hotkey,
            registrationBlock: uint40(block.number),
            registrationEpoch: uint32($.nextEpoch)
        });
        $.stats[uid] = NeuronStats({kind: kind, consensus: 0, incentive: 0, dividends: 0, unclaimed: 0});
        $.uidOf[hotkey] = uint256(uid) + 1;
    }

    /// Moves a uid's unclaimed rewards to its hotkey's claimable balance before the uid changes hands.
    function _releaseUnclaimed(uint256 uid, address hotkey) internal {
        uint256 unclaimed = $.stats[uid].unclaimed;
        if (unclaimed > 0) $.claimable[hotkey] += unclaimed;
    }

    function _deregisterValidator(uint16 uid) internal {
        address hotkey = $.neurons[uid].hotkey;
        ValidatorState storage v = $.validators[uid];
        // Rounding remainders of the staking pool: every position has been harvested by now.
        uint256 residue = v.poolOutstanding + $.stats[uid].unclaimed;
        if (residue > 0) $.claimable[hotkey] += residue;

        uint256 index = v.listIndex;
        uint256 last = $.validatorUids.length - 1;
        if (index != last) {
            uint16 moved = $.validatorUids[last];
            $.validatorUids[index] = moved;
            $.validators[moved].listIndex = uint16(index);
        }
        $.validatorUids.pop();
        delete $.validators[uid];
        delete $.neurons[uid];
        delete $.stats[uid];
        delete $.uidOf[hotkey];
        $.freeUids.push(uid);
        emit Deregistered(uid, hotkey);
    }

    function _hasPermit(uint16 uid) internal view returns (bool) {
        return Permits.isPermitted($, uid, minValidatorStake, maxValidatorPermits);
    }

    // ---------------------------------------------------------------- internals: stake

    function _addStake(uint16 validatorUid, address account, uint256 amount) internal {
        if (amount == 0) revert Subnet__ZeroAmount();
        ValidatorState storage v = $.validators[validatorUid];
        Position storage p = $.positions[validatorUid][account];
        _harvestToClaimable(validatorUid, v, p, account);
        if (p.listSlot == 0) {
            $.positionsOf[account].push(validatorUid);
            p.listSlot = uint16($.positionsOf[account].length);
        }
        p.stake += amount;
        v.stake += amount;
        $.totalStaked += amount;
        p.rewardDebt = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION, Math.Rounding.Ceil);
        p.unlockBlock = uint64(block.number) + stakeLockBlocks;
        if (account == $.neurons[validatorUid].hotkey) {
            emit Staked(validatorUid, account, amount, p.stake, v.stake);
        } else {
            emit Delegated(validatorUid, account, amount, p.stake, v.stake);
        }
        token.safeTransferFrom(account, address(this), amount);
    }

    function _removePosition(uint16 validatorUid, address account) internal {
        Position storage p = $.positions[validatorUid][account];
        uint16[] storage list = $.positionsOf[account];
        uint256 index = p.listSlot - 1;
        uint256 last = list.length - 1;
        if (index != last) {
            uint16 moved = list[last];
            list[index] = moved;
            $.positions[moved][account].listSlot = uint16(index + 1);
        }
        list.pop();
        delete $.positions[validatorUid][account];
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

    function _harvest(ValidatorState storage v, Position storage p) internal returns (uint256 pending) {
        pending = _pending(v, p);
        if (pending > 0) {
            v.poolOutstanding -= pending;
            p.rewardDebt = Math.mulDiv(p.stake, v.rewardPerStake, REWARD_PRECISION, Math.Rounding.Ceil);
        }
    }

    function _harvestToClaimable(uint16 validatorUid, ValidatorState storage v, Position storage p, address account)
        internal
    {
        uint256 pending = _harvest(v, p);
        if (pending > 0) {
            $.claimable[account] += pending;
            emit StakeRewardsHarvested(validatorUid, account, pending);
        }
    }

    function _validatorStakeOf(address account) internal view returns (uint256) {
        uint256 plusOne = $.uidOf[account];
        if (plusOne == 0 || $.stats[plusOne - 1].kind != KIND_VALIDATOR) return 0;
        return $.validators[plusOne - 1].stake;
    }

    // ---------------------------------------------------------------- internals: views

    function _checkUri(string calldata uri, bool allowEmpty) internal view {
        uint256 length = bytes(uri).length;
        if ((length == 0 && !allowEmpty) || length > maxUriLength) revert Subnet__BadUriLength(length, maxUriLength);
    }

    function _neuronView(uint16 uid) internal view returns (NeuronView memory view_) {
        Neuron storage nr = $.neurons[uid];
        NeuronStats storage st = $.stats[uid];
        bool isValidator = st.kind == KIND_VALIDATOR;
        view_.uid = uid;
        view_.hotkey = nr.hotkey;
        view_.isValidator = isValidator;
        view_.consensus = st.consensus;
        view_.incentive = st.incentive;
        view_.dividends = st.dividends;
        view_.registrationBlock = nr.registrationBlock;
        view_.registrationEpoch = nr.registrationEpoch;
        view_.unclaimed = st.unclaimed;
        if (isValidator) {
            view_.stake = $.validators[uid].stake;
            view_.validatorPermit = _hasPermit(uid);
        }
    }

    function _commitmentView(uint64 window, uint16 uid) internal view returns (CommitmentView memory) {
        StoredCommitment storage c = $.commitments[window][uid];
        return CommitmentView({
            uid: uid,
            hotkey: c.hotkey,
            digest: c.digest,
            modelHash: c.modelHash,
            uri: c.uri,
            blockNumber: c.blockNumber
        });
    }

    function _aggregateView(uint64 window, address validator) internal view returns (AggregateView memory) {
        StoredAggregate storage a = $.aggregates[window][validator];
        return AggregateView({
            window: window,
            validator: a.validator,
            validatorUid: a.validatorUid,
            aggregateHash: a.aggregateHash,
            normBound: a.normBound,
            uids: a.uids,
            uri: a.uri,
            blockNumber: a.blockNumber
        });
    }
}
