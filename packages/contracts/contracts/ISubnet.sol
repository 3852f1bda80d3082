// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Constants fixed when a subnet is deployed. Fractions are in basis points (1/10 000).
struct SubnetParams {
    /// Receives the owner share (18 %) of every epoch's emission and the rounding dust.
    address owner;
    /// First block of window 0; 0 means the deployment block.
    uint64 startBlock;
    /// Blocks per window.
    uint32 blocksPerWindow;
    /// Windows per epoch.
    uint32 windowsPerEpoch;
    /// Blocks after the end of window w during which commitments for w are still accepted.
    uint32 deadlineGraceBlocks;
    /// Size of the uid space shared by miners and validators.
    uint16 maxUids;
    /// Most validators registered at once.
    uint16 maxValidators;
    /// Validators with the largest stakes that may set weights and publish (at most 32, and
    /// maxValidatorPermits × maxUids at most 4608 so that settlement fits in a block).
    uint16 maxValidatorPermits;
    /// Blocks after registration during which a miner cannot be pruned.
    uint32 immunityPeriod;
    /// Blocks a validator waits between two commitWeights calls (a later commit in the same
    /// epoch replaces the earlier one).
    uint32 weightsRateLimit;
    /// Blocks a stake stays locked after it was last increased.
    uint32 stakeLockBlocks;
    /// Share of the stake that a weight's supporters must strictly exceed for it to be the
    /// consensus (5000 = median); below 10 000.
    uint16 kappaBps;
    /// Weight of the new bonds in the bonds moving average.
    uint16 bondsAlphaBps;
    /// Share of a validator's dividends it keeps before sharing the rest with its stakers.
    uint16 validatorTakeBps;
    /// Longest uri accepted in commitments, aggregates and checkpoints, in bytes.
    uint16 maxUriLength;
    /// Native wei a miner burns to register (held by the contract forever, counted in totalBurned).
    uint256 registrationBurn;
    /// Least self stake to register a validator, and least total stake for a validator permit.
    uint256 minValidatorStake;
    /// Reward tokens minted for each settled epoch that reached consensus.
    uint256 emissionPerEpoch;
}

/// @notice One registered neuron as the metagraph shows it.
struct NeuronView {
    uint16 uid;
    address hotkey;
    bool isValidator;
    bool validatorPermit;
    /// Self stake plus delegated stake (validators), in token units; 0 for miners.
    uint256 stake;
    /// Consensus weight of the last settled epoch, scaled by 1e9 (miners).
    uint32 consensus;
    /// Share of the miners' emission in the last settled epoch, scaled by 1e9 (miners).
    uint32 incentive;
    /// Share of the validators' emission in the last settled epoch, scaled by 1e9 (validators).
    uint32 dividends;
    uint64 registrationBlock;
    /// The first epoch this uid was settled in as this neuron.
    uint64 registrationEpoch;
    /// Rewards credited to this uid and not claimed yet (miner incentive, validator take).
    uint256 unclaimed;
}

/// @notice A miner's commitment to its update for a window.
struct CommitmentView {
    uint16 uid;
    address hotkey;
    bytes32 digest;
    bytes32 modelHash;
    string uri;
    uint64 blockNumber;
}

/// @notice An aggregation set a validator published for a window.
struct AggregateView {
    uint64 window;
    address validator;
    uint16 validatorUid;
    bytes32 aggregateHash;
    /// The L2 norm every member update was clipped to, as IEEE-754 float32 bits (positive, finite).
    uint32 normBound;
    uint16[] uids;
    string uri;
    uint64 blockNumber;
}

/// @notice A validator's weight commit for one epoch, with what was snapshotted when it was made.
struct WeightCommitView {
    /// keccak256(abi.encode(validator, epoch, uids, weights, salt)); zero when there is none.
    bytes32 hash;
    address hotkey;
    /// The validator's total stake when it committed: what settlement weighs its weights by.
    uint256 stake;
    /// Block of the registration that committed (a later registration of the uid cannot reveal it).
    uint64 registrationBlock;
    uint64 commitBlock;
    /// Block of the reveal; 0 until revealed.
    uint64 revealBlock;
}

/// @notice Weights a validator revealed for an epoch (the non-zero entries, ascending by uid).
struct RevealedWeightsView {
    uint16 uid;
    address hotkey;
    /// Total stake snapshotted at commit.
    uint256 stake;
    uint64 registrationBlock;
    uint64 commitBlock;
    uint64 revealBlock;
    uint16[] uids;
    uint16[] weights;
}

/// @notice A full-model checkpoint a validator published.
struct CheckpointView {
    uint64 window;
    address validator;
    uint16 validatorUid;
    bytes32 modelHash;
    string uri;
    uint64 blockNumber;
}

/// @notice What a settled epoch left on chain.
struct EpochRecord {
    uint64 settledBlock;
    uint16 activeValidators;
    uint128 minted;
}

/// @notice One account's stake on one validator.
struct PositionView {
    uint16 validatorUid;
    uint256 stake;
    /// Rewards accrued to this position and not yet moved to the claimable balance.
    uint256 pending;
    uint64 unlockBlock;
}

/// @title The subnet contract of Tessera: registration, stake, commitments, weights, emissions.
/// @notice Errors carry the facts a caller needs to fix the call; events cover every state change.
interface ISubnet {
    // ---------------------------------------------------------------- errors

    error Subnet__InvalidParameter(string name);
    error Subnet__TokenMinterMismatch(address token, address minter);
    error Subnet__WrongBurn(uint256 sent, uint256 required);
    error Subnet__AlreadyRegistered(address hotkey, uint16 uid);
    error Subnet__NotRegistered(address account);
    error Subnet__NotMiner(uint16 uid);
    error Subnet__NotValidator(uint16 uid);
    error Subnet__NoValidatorPermit(uint16 uid);
    error Subnet__SubnetFull(uint16 maxUids);
    error Subnet__ValidatorSetFull(uint16 maxValidators);
    error Subnet__StakeTooLow(uint256 amount, uint256 minimum);
    error Subnet__ZeroAmount();
    error Subnet__InsufficientStake(uint256 staked, uint256 requested);
    error Subnet__StakeLocked(uint64 unlockBlock);
    error Subnet__NotStarted(uint64 startBlock);
    error Subnet__WindowNotStarted(uint64 window, uint256 startBlock);
    error Subnet__LateCommit(uint64 window, uint256 deadline);
    error Subnet__AlreadyCommitted(uint64 window, uint16 uid);
    error Subnet__BadUriLength(uint256 length, uint256 maximum);
    error Subnet__LengthMismatch(uint256 uids, uint256 weights);
    error Subnet__TooManyUids(uint256 length, uint256 maximum);
    error Subnet__DuplicateUid(uint16 uid);
    error Subnet__UidsNotAscending(uint16 previous, uint16 next);
    error Subnet__UidNotRegistered(uint16 uid);
    error Subnet__UidNotMiner(uint16 uid);
    error Subnet__WeightsRateLimited(uint64 nextBlock);
    error Subnet__RevealTooEarly(uint64 epoch, uint256 opensAt);
    error Subnet__RevealTooLate(uint64 epoch, uint256 closedAt);
    error Subnet__NoWeightsCommit(uint64 epoch, uint16 uid);
    error Subnet__WeightsAlreadyRevealed(uint64 epoch, uint16 uid);
    error Subnet__RevealMismatch(uint64 epoch, bytes32 committed, bytes32 revealed);
    error Subnet__BadNormBound(uint32 normBound);
    error Subnet__NoCommitment(uint64 window, uint16 uid);
    error Subnet__AggregateTooEarly(uint64 window, uint256 deadline);
    error Subnet__AlreadyPublished(uint64 window, address validator);
    error Subnet__SettlementTooEarly(uint64 epoch, uint256 opensAt);
    error Subnet__SettlementPending(uint64 epoch);
    error Subnet__EpochAlreadySettled(uint64 epoch);
    error Subnet__EpochOutOfOrder(uint64 epoch, uint64 expected);
    error Subnet__NothingToClaim(address account);

    // ---------------------------------------------------------------- events

    /// @notice `hotkey` took `uid`; `burn` native wei were burned (miners).
    event Registered(uint16 indexed uid, address indexed hotkey, bool isValidator, uint256 burn);
    /// @notice The miner at `uid` was pruned to make room; `incentive` was its pruning score.
    event Pruned(uint16 indexed uid, address indexed hotkey, uint32 incentive);
    /// @notice A validator's total stake reached zero and its uid was freed.
    event Deregistered(uint16 indexed uid, address indexed hotkey);
    /// @notice The validator added `amount` of its own stake.
    event Staked(uint16 indexed validatorUid, address indexed account, uint256 amount, uint256 positionStake, uint256 validatorStake);
    /// @notice `account` delegated `amount` to the validator.
    event Delegated(uint16 indexed validatorUid, address indexed account, uint256 amount, uint256 positionStake, uint256 validatorStake);
    /// @notice `account` withdrew `amount` of its stake on the validator.
    event Unstaked(uint16 indexed validatorUid, address indexed account, uint256 amount, uint256 positionStake, uint256 validatorStake);
    /// @notice Staking rewards accrued to a position were moved to the account's claimable balance.
    event StakeRewardsHarvested(uint16 indexed validatorUid, address indexed account, uint256 amount);
    event Committed(uint64 indexed window, uint16 indexed uid, address indexed hotkey, bytes32 digest, bytes32 modelHash, string uri);
    /// @notice `normBound` is the float32 bits of the L2 norm every member update was clipped to.
    event AggregatePublished(
        uint64 indexed window,
        uint16 indexed validatorUid,
        address indexed validator,
        bytes32 aggregateHash,
        uint32 normBound,
        uint16[] uids,
        string uri
    );
    event CheckpointPublished(uint64 indexed window, uint16 indexed validatorUid, address indexed validator, bytes32 modelHash, string uri);
    /// @notice A validator committed (or replaced its commit of) weights for `epoch`; `stake` is its
    /// total stake now, the stake its weights count with at settlement.
    event WeightsCommitted(uint64 indexed epoch, uint16 indexed validatorUid, address indexed hotkey, bytes32 hash, uint256 stake);
    /// @notice A validator revealed the weights it committed for `epoch` (raw u16, as committed).
    event WeightsRevealed(uint64 indexed epoch, uint16 indexed validatorUid, address indexed hotkey, uint16[] uids, uint16[] weights);
    /// @notice One miner's result for an epoch; emitted for every registered miner at settlement.
    /// `consensus` and `incentive` are scaled by 1e9; `rank` is the stake-weighted sum of clipped weights (scale 1e18).
    event MinerReward(uint64 indexed epoch, uint16 indexed uid, address indexed hotkey, uint32 consensus, uint32 incentive, uint256 rank, uint256 amount);
    /// @notice One active validator's result for an epoch. `stake` is the stake snapshotted at its commit;
    /// `revealBlock` names the WeightsRevealed event whose weights were used; `stakersShare` went to
    /// everyone staked on it pro rata (raising `rewardPerStake`, scale 1e27). A validator whose
    /// registration ended before the settlement gets `take` = `amount` on its hotkey's claimable
    /// balance, `stakersShare` 0 and `rewardPerStake` 0.
    event ValidatorReward(
        uint64 indexed epoch,
        uint16 indexed uid,
        address indexed hotkey,
        uint256 stake,
        uint64 revealBlock,
        uint32 dividends,
        uint256 amount,
        uint256 take,
        uint256 stakersShare,
        uint256 rewardPerStake
    );
    /// @notice An epoch was settled. `minted` = `minerTotal` + `validatorTotal` + `ownerTotal`.
    event EpochSettled(
        uint64 indexed epoch,
        uint256 minted,
        uint256 minerTotal,
        uint256 validatorTotal,
        uint256 ownerTotal,
        uint256 activeStake,
        uint16 activeValidators
    );
    event Claimed(address indexed account, uint256 amount);

    // ---------------------------------------------------------------- registration and stake

    /// @notice Registers the caller as a miner; `msg.value` must equal the registration burn.
    function registerMiner() external payable returns (uint16 uid);

    /// @notice Registers the caller as a validator with `amount` of self stake (approve it first).
    function registerValidator(uint256 amount) external returns (uint16 uid);

    /// @notice Stakes `amount` on validator `validatorUid`: self stake for its hotkey, delegation for anyone else.
    function stake(uint16 validatorUid, uint256 amount) external;

    /// @notice Withdraws `amount` of the caller's stake on `validatorUid` once unlocked.
    function unstake(uint16 validatorUid, uint256 amount) external;

    // ---------------------------------------------------------------- windows

    function commit(uint64 window, bytes32 digest, string calldata uri, bytes32 modelHash) external;

    function publishAggregate(
        uint64 window,
        uint16[] calldata uids,
        bytes32 aggregateHash,
        uint32 normBound,
        string calldata uri
    ) external;

    function publishCheckpoint(uint64 window, bytes32 modelHash, string calldata uri) external;

    // ---------------------------------------------------------------- weights and epochs

    /// @notice Commits the hash of this epoch's weights: keccak256(abi.encode(msg.sender, epoch,
    /// uids, weights, salt)) with epoch the current one. Permitted validators only; a later commit
    /// in the same epoch replaces the earlier one (and its stake snapshot).
    function commitWeights(bytes32 hash) external;

    /// @notice Reveals the weights committed for `epoch`, during epoch `epoch + 1` only.
    function revealWeights(uint64 epoch, uint16[] calldata uids, uint16[] calldata weights, bytes32 salt) external;

    /// @notice Settles `epoch` from the first block of epoch `epoch + 2` (its reveal period over).
    function settleEpoch(uint64 epoch) external;

    function claim() external returns (uint256 amount);
}
